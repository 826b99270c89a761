using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Billing;
using BaseAgency.Features.SignUp;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Tracking;

namespace BaseAgency.Tests.Support;

/// <summary>Buying, paying and reading billing state, as the billing features' tests need it.</summary>
public static class Purchases
{
    public static async Task<JsonObject> BuyAsync(this IAlbaHost host, string token, string packId)
    {
        var result = await host.Scenario(s =>
        {
            s.Post.Json(new { packId }).ToUrl("/api/credits/purchases");
            s.As(token);
            s.StatusCodeShouldBe(201);
        });
        return await result.JsonAsync();
    }

    /// <summary>A purchase and the id of its Stripe Checkout Session (the last part of its checkout URL).</summary>
    public static async Task<(Guid PurchaseId, string SessionId)> BuyWithSessionAsync(this IAlbaHost host, string token, string packId)
    {
        var purchase = await host.BuyAsync(token, packId);
        return (purchase["id"]!.GetValue<Guid>(), purchase["checkoutUrl"]!.GetValue<string>().Split('/').Last());
    }

    /// <summary>A new organization whose admin is a platform operator.</summary>
    public static async Task<SignUpResponse> OperatorAsync(this IAlbaHost host)
    {
        var platform = await host.SignUpAsync();
        await host.MakeSuperAdminAsync(platform.Organization.Id, platform.User.Id);
        return platform;
    }

    /// <summary>An operator's mark-paid (POST /api/admin/purchases/{id}/mark-paid).</summary>
    public static Task<IScenarioResult> MarkPaidAsync(this IAlbaHost host, Guid purchaseId, string token, int status = 200) =>
        host.Scenario(s =>
        {
            s.Post.Url($"/api/admin/purchases/{purchaseId}/mark-paid");
            s.As(token);
            s.StatusCodeShouldBe(status);
        });

    /// <summary>An operator's refund (POST /api/admin/purchases/{id}/refund).</summary>
    public static Task<IScenarioResult> RefundAsync(this IAlbaHost host, Guid purchaseId, string token, int status = 200) =>
        host.Scenario(s =>
        {
            s.Post.Url($"/api/admin/purchases/{purchaseId}/refund");
            s.As(token);
            s.StatusCodeShouldBe(status);
        });

    public static async Task<Purchase> StoredPurchaseAsync(this IAlbaHost host, Guid org, Guid id)
    {
        await using var session = host.Services.GetRequiredService<IDocumentStore>().QueryFor(org);
        return (await session.LoadAsync<Purchase>(id))!;
    }

    public static async Task<Subscription> SubscriptionAsync(this IAlbaHost host, Guid org)
    {
        await using var session = host.Services.GetRequiredService<IDocumentStore>().QueryFor(org);
        return (await session.LoadAsync<Subscription>(org))!;
    }

    /// <summary>Delivers a message to the organization's handler, as a durable queue or a scheduled timeout would.</summary>
    public static Task InvokeForAsync(this IAlbaHost host, Guid org, object message) =>
        host.ExecuteAndWaitAsync(c => c.InvokeForTenantAsync(Tenancy.TenantOf(org), message));
}
