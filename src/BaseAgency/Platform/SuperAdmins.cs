using BaseAgency.Identity;
using BaseAgency.Organizations;
using JasperFx.CommandLine;
using Marten;
using ZiggyCreatures.Caching.Fusion;

namespace BaseAgency.Platform;

/// <summary>
/// Platform operators are existing accounts made super_admin by an operator of the deployment: by the command
/// <c>grant-super-admin &lt;email&gt;</c>, or by user id in configuration (Platform:SuperAdminUserIds:0, :1, …), promoted at
/// start-up. Never by address in configuration: whoever signed up first with such an address would become operator.
/// Nobody can become one through the API.
/// </summary>
public sealed class SuperAdmins(IDocumentStore store, IFusionCache cache, IConfiguration config, ILogger<SuperAdmins> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        foreach (var userId in config.GetSection("Platform:SuperAdminUserIds").Get<Guid[]>() ?? [])
        {
            await using var query = store.QuerySession();
            var user = await query.Query<User>().SingleOrDefaultAsync(u => u.AnyTenant() && u.Id == userId, ct);
            if (user is null) log.LogWarning("Platform:SuperAdminUserIds names user {UserId}, which does not exist", userId);
            else if (await GrantAsync(store, cache, user, ct)) log.LogWarning("Promoted configured platform operator {UserId} to super_admin", user.Id);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Makes the account super_admin (false when it already was); every node forgets its cached role.</summary>
    public static async Task<bool> GrantAsync(IDocumentStore store, IFusionCache cache, User user, CancellationToken ct)
    {
        if (user.Role == Role.SuperAdmin) return false;
        await using var session = store.SessionFor(user.OrganizationId);
        session.Store(user with { Role = Role.SuperAdmin });
        Membership.ForgetOnCommit(session, cache, user.OrganizationId, user.Id);
        await session.SaveChangesAsync(ct);
        return true;
    }

    public static async Task<User?> FindByEmailAsync(IDocumentStore store, string email, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var normalized = User.Normalize(email);
        return await query.Query<User>().SingleOrDefaultAsync(u => u.AnyTenant() && u.Email == normalized, ct);
    }
}

public sealed class GrantSuperAdminInput : NetCoreInput
{
    [Description("The e-mail address of an existing account")]
    public string Email { get; set; } = "";
}

/// <summary><c>dotnet BaseAgency.dll grant-super-admin &lt;email&gt;</c>: makes an existing account a platform operator.</summary>
[Description("Make an existing account super_admin (a platform operator)", Name = "grant-super-admin")]
public sealed class GrantSuperAdminCommand : JasperFxAsyncCommand<GrantSuperAdminInput>
{
    public override async Task<bool> Execute(GrantSuperAdminInput input)
    {
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        if (await SuperAdmins.FindByEmailAsync(store, input.Email, CancellationToken.None) is not { } user)
        {
            Console.Error.WriteLine("No account has that e-mail address; sign up first, then grant.");
            return false;
        }
        var granted = await SuperAdmins.GrantAsync(store, host.Services.GetRequiredService<IFusionCache>(), user, CancellationToken.None);
        Console.WriteLine(granted ? $"User {user.Id} is now super_admin." : $"User {user.Id} already was super_admin.");
        return true;
    }
}
