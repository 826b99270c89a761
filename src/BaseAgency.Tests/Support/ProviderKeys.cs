using Alba;
using BaseAgency.Plans;

namespace BaseAgency.Tests.Support;

/// <summary>Customers that bring their own provider keys.</summary>
public static class ProviderKeys
{
    /// <summary>A new organization on the Business plan: its id and its admin's access token.</summary>
    public static async Task<(Guid Org, string Token)> BusinessCustomerAsync(this IAlbaHost host)
    {
        var customer = await host.SignUpAsync();
        await host.SetPlanAsync(customer.Organization.Id, PlanSlug.Business);
        return (customer.Organization.Id, customer.Tokens.AccessToken);
    }

    public static Task<IScenarioResult> AddProviderKeyAsync(this IAlbaHost host, string token, string provider, string apiKey, int status) =>
        host.Scenario(s =>
        {
            s.Post.Json(new { provider, apiKey }).ToUrl("/api/provider-keys");
            s.As(token);
            s.StatusCodeShouldBe(status);
        });
}
