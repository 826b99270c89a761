using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Billing;
using BaseAgency.Organizations;
using BaseAgency.Platform;
using BaseAgency.Plans;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Tracking;

namespace BaseAgency.Tests.Support;

/// <summary>Setting up auto top-up and waking it, as its tests need.</summary>
public static class AutoTopUps
{
    public static async Task<JsonObject> SetAutoTopUpAsync(this IAlbaHost host, string token, int thresholdCredits, string packId,
        bool enabled = true)
    {
        var result = await host.Scenario(s =>
        {
            s.Put.Json(new { enabled, thresholdCredits, packId }).ToUrl("/api/credits/auto-top-up");
            s.As(token);
            s.StatusCodeShouldBe(200);
        });
        return await result.JsonAsync();
    }

    /// <summary>What a capture sends, <paramref name="times"/> at once, each in its own transaction; returns when all it caused is done.</summary>
    public static Task<ITrackedSession> TopUpIfLowAsync(this IAlbaHost host, Guid org, int times = 1) =>
        host.TrackedAsync(() => Task.WhenAll(Enumerable.Range(0, times).Select(async _ =>
        {
            using var scope = host.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeForTenantAsync(Tenancy.TenantOf(org), new TopUpIfLow(org));
        })));

    /// <summary>Runs <paramref name="action"/> and waits until every message it caused (jobs, checks, charges) is handled.</summary>
    public static Task<ITrackedSession> TrackedAsync(this IAlbaHost host, Func<Task> action) =>
        host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).ExecuteAndWaitAsync((Func<IMessageContext, Task>)(_ => action()));

    /// <summary>The organization's Stripe customer, as Stripe Billing's checkout records it.</summary>
    public static async Task SetStripeCustomerAsync(this IAlbaHost host, Guid org, string customerId)
    {
        await using var session = host.Services.GetRequiredService<IDocumentStore>().SessionFor(org);
        var subscription = await session.LoadAsync<Subscription>(org);
        session.Store(subscription! with { ProviderCustomerId = customerId });
        await session.SaveChangesAsync();
    }

    public static async Task<IReadOnlyList<Purchase>> PurchasesAsync(this IAlbaHost host, Guid org)
    {
        await using var session = host.Services.GetRequiredService<IDocumentStore>().QueryFor(org);
        return await session.Query<Purchase>().OrderBy(p => p.CreatedAt).ToListAsync();
    }

    public static async Task<IReadOnlyList<string>> AuditedAsync(this IAlbaHost host, Guid org)
    {
        await using var session = host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Query<AuditEntry>().Where(a => a.OrganizationId == org && a.Kind == AuditKind.Change && a.Action.StartsWith("credits.")).OrderBy(a => a.At).ToListAsync()).Select(a => a.Action).ToList();
    }
}
