using BaseAgency.Identity;
using BaseAgency.Organizations;
using Marten;

namespace BaseAgency.Platform;

/// <summary>
/// Platform operators are named in configuration (Platform:SuperAdminEmails:0, :1, …). At start-up the
/// accounts with those addresses become super_admin; nobody can become one through the API.
/// </summary>
public sealed class SuperAdmins(IDocumentStore store, IConfiguration config, ILogger<SuperAdmins> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var emails = config.GetSection("Platform:SuperAdminEmails").Get<string[]>() ?? [];
        foreach (var email in emails.Select(User.Normalize))
        {
            await using var query = store.QuerySession();
            var user = await query.Query<User>().SingleOrDefaultAsync(u => u.AnyTenant() && u.Email == email, ct);
            if (user is null || user.Role == Role.SuperAdmin) continue;

            await using var session = store.SessionFor(user.OrganizationId);
            session.Store(user with { Role = Role.SuperAdmin });
            await session.SaveChangesAsync(ct);
            log.LogWarning("Promoted a configured platform operator to super_admin (user {UserId})", user.Id);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
