using BaseAgency.Secrets;
using BaseAgency.Identity;
using BaseAgency.Organizations;
using Marten;
using Wolverine;

namespace BaseAgency.Features.SignUp;

/// <summary>
/// Development only: signs up a demo organization, so a newcomer can sign in at once. Runs before the
/// start-up banner, through the same SignUp command, so the demo has its credits when the banner prints.
/// </summary>
public sealed class SeedDemoOrganization(IDocumentStore store, IServiceScopeFactory scopes, ILogger<SeedDemoOrganization> log) : IHostedService
{
    public const string Email = "demo@baseagency.local";
    public const string Password = "demo-password-123";
    public const string Name = "BASE Demo Agency";

    public async Task StartAsync(CancellationToken ct)
    {
        await using var platform = store.QuerySession();
        if (await platform.Query<User>().AnyAsync(u => u.AnyTenant() && u.Email == Email, ct)) return;

        using var scope = scopes.CreateScope(); // the message bus is scoped; this service is not
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        var organizationId = Guid.CreateVersion7();
        var outcome = await bus.InvokeForTenantAsync<Http.Outcome<SignUpResponse>>(Tenancy.TenantOf(organizationId),
            new SignUp(organizationId, "Demo Admin", Email, new Secret(Password), Name), ct);
        if (outcome.Problem is not null) log.LogWarning("The demo organization was not created: {Problem}", outcome.Problem.ProblemDetails.Title);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
