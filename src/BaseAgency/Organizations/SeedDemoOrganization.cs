using BaseAgency.Identity;
using Marten;
using Wolverine;
using Wolverine.Marten;
using Wolverine.Runtime;

namespace BaseAgency.Organizations;

/// <summary>
/// Development only: a demo organization with an admin, so a newcomer can sign in at once. A hosted
/// service rather than Marten initial data because it publishes OrganizationCreated, which needs
/// Wolverine started.
/// </summary>
public sealed class SeedDemoOrganization(IDocumentStore store, IWolverineRuntime wolverine) : IHostedService
{
    public const string Email = "demo@baseagency.local";
    public const string Password = "demo-password-123";
    public const string Name = "BASE Demo Agency";

    public async Task StartAsync(CancellationToken ct)
    {
        await using var platform = store.QuerySession();
        if (await platform.Query<User>().AnyAsync(u => u.AnyTenant() && u.Email == Email, ct)) return;

        var opened = NewOrganization.Open(Name, Slugs.From(Name), "Demo Admin", Email, Passwords.Hash(Password), DateTimeOffset.UtcNow);
        await using var session = store.LightweightSession(opened.Organization.TenantId);
        var outbox = new MartenOutbox(wolverine, session);
        opened.StageIn(session);
        await outbox.PublishAsync(opened.Created, new DeliveryOptions { TenantId = opened.Organization.TenantId });
        await session.SaveChangesAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
