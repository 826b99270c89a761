using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Platform;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Features.AdjustCredits;

[Collection(AppCollection.Name)]
public sealed class AdjustCreditsTests(AppFixture app)
{
    [Fact]
    public async Task An_operator_adjusts_credits_and_it_is_audited()
    {
        var operatorOrg = await app.Host.OperatorAsync();
        var customer = await app.Host.SignUpAsync();

        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { amount = 25, reason = "Goodwill for the outage" })
                .ToUrl($"/api/admin/organizations/{customer.Organization.Id}/credits/adjustments");
            s.As(operatorOrg.Tokens.AccessToken);
            s.StatusCodeShouldBe(201);
        });
        (await result.JsonAsync())["available"]!.GetValue<int>().ShouldBe(75);

        var statement = await app.Host.GetAsJson<JsonObject>("/api/credits/transactions?type=adjustment", customer.Tokens.AccessToken);
        statement["items"]![0]!["amount"]!.GetValue<int>().ShouldBe(25);
        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var audit = await session.Query<AuditEntry>().Where(a => a.OrganizationId == customer.Organization.Id).ToListAsync();
        audit.Single().ActorId.ShouldBe(operatorOrg.User.Id);
        audit.Single().Details.ShouldContain("Goodwill");
    }

    [Fact]
    public async Task Taking_more_than_is_available_is_402_with_the_numbers()
    {
        var operatorOrg = await app.Host.OperatorAsync();
        var customer = await app.Host.SignUpAsync();

        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { amount = -51, reason = "Clawback" }).ToUrl($"/api/admin/organizations/{customer.Organization.Id}/credits/adjustments");
            s.As(operatorOrg.Tokens.AccessToken);
            s.StatusCodeShouldBe(402);
        });
        var problem = await result.ProblemAsync(402, "insufficient_credits");
        problem["required"]!.GetValue<int>().ShouldBe(51);
        problem["available"]!.GetValue<int>().ShouldBe(50);
    }

    [Fact]
    public async Task An_organization_admin_is_not_an_operator()
    {
        var admin = await app.Host.SignUpAsync();
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { amount = 1000, reason = "Free money" }).ToUrl($"/api/admin/organizations/{admin.Organization.Id}/credits/adjustments");
            s.As(admin.Tokens.AccessToken);
            s.StatusCodeShouldBe(403);
        });
        await result.ProblemAsync(403, "forbidden");
    }
}
