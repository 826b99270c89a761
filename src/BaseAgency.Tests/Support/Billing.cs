using System.Text.Json.Nodes;
using Alba;

namespace BaseAgency.Tests.Support;

/// <summary>Subscription billing through the public API, with manual invoices an operator marks paid.</summary>
public static class BillingScenarios
{
    /// <summary>A new organization on a paid Starter period (its first invoice marked paid); returns its admin's e-mail.</summary>
    public static async Task<(Guid Org, string Email)> OnStarterAsync(AppFixture app)
    {
        var customer = await app.Host.SignUpAsync();
        var token = (await app.Host.LoginAsync(customer.User.Email)).AccessToken;
        var asked = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { plan = "starter" }).ToUrl("/api/subscription");
            s.As(token);
            s.StatusCodeShouldBe(202);
        });
        await MarkInvoicePaidAsync(app, (await asked.JsonAsync())["invoice"]!["id"]!.GetValue<Guid>());
        return (customer.Organization.Id, customer.User.Email);
    }

    public static async Task<JsonObject> MarkInvoicePaidAsync(AppFixture app, Guid invoiceId)
    {
        var platform = await app.Host.OperatorAsync();
        var token = (await app.Host.LoginAsync(platform.User.Email)).AccessToken; // a moved clock may have expired the sign-up token
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/admin/invoices/{invoiceId}/mark-paid");
            s.As(token);
            s.StatusCodeShouldBe(200);
        });
        return await result.JsonAsync();
    }

    public static async Task<JsonArray> InvoicesAsync(AppFixture app, string token) =>
        (await app.Host.GetAsJson<JsonObject>("/api/billing/invoices", token))["items"]!.AsArray();
}
