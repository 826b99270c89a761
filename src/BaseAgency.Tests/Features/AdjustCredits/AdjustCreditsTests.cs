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
        var audit = await session.Query<AuditEntry>().Where(a => a.OrganizationId == customer.Organization.Id && a.Action == "credits.adjusted").ToListAsync();
        audit.Single().ActorId.ShouldBe(operatorOrg.User.Id);
        audit.Single().Details.ShouldContain("Goodwill");
        audit.Single().Changes!["available"].ShouldBe(new AuditChange("50", "75"));
    }

    [Fact]
    public async Task Paid_credits_given_back_by_an_operator_stay_paid_and_plan_credits_cannot_be_given()
    {
        var operatorOrg = await app.Host.OperatorAsync();
        var customer = await app.Host.SignUpAsync();
        var url = $"/api/admin/organizations/{customer.Organization.Id}/credits/adjustments";
        async Task<IScenarioResult> Adjust(object body, int status) => await app.Host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl(url);
            s.As(operatorOrg.Tokens.AccessToken);
            s.StatusCodeShouldBe(status);
        });

        await Adjust(new { amount = 25, reason = "Paid credits lost in an outage", bucket = "paid" }, 201);
        await Adjust(new { amount = 5, reason = "Goodwill" }, 201);
        await (await Adjust(new { amount = 5, reason = "Plan", bucket = "plan" }, 400)).ProblemAsync(400, "validation_failed");
        await (await Adjust(new { amount = -5, reason = "Clawback", bucket = "paid" }, 400)).ProblemAsync(400, "validation_failed");

        var token = customer.Tokens.AccessToken;
        (await app.Host.GetAsJson<JsonObject>("/api/credits/balance", token))["byBucket"]!.ToJsonString()
            .ShouldBe("""{"plan":50,"paid":25,"promotional":5}""");
        var lines = (await app.Host.GetAsJson<JsonObject>("/api/credits/transactions?type=adjustment", token))["items"]!.AsArray();
        lines.Select(l => l!["buckets"]!.ToJsonString()).ShouldBe(["""[{"kind":"promotional","amount":5}]""", """[{"kind":"paid","amount":25}]"""]);
    }

    [Fact]
    public async Task A_keyed_adjustment_retried_after_its_answer_was_lost_is_made_once()
    {
        var operatorOrg = await app.Host.OperatorAsync();
        var customer = await app.Host.SignUpAsync();
        var key = $"adjust-{Guid.NewGuid():N}";
        Task<IScenarioResult> AdjustAsync() => app.Host.Scenario(s =>
        {
            s.Post.Json(new { amount = 25, reason = "Goodwill" }).ToUrl($"/api/admin/organizations/{customer.Organization.Id}/credits/adjustments");
            s.As(operatorOrg.Tokens.AccessToken);
            s.WithRequestHeader("Idempotency-Key", key);
            s.StatusCodeShouldBe(201);
        });
        await AdjustAsync();
        // As if the process died after the adjustment committed and the key's lease then ran out: the key is free again.
        await using (var command = app.Host.Services.GetRequiredService<Npgsql.NpgsqlDataSource>()
                         .CreateCommand("delete from agency.idempotency_keys where key = $1"))
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = key });
            (await command.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        var retried = await AdjustAsync();

        (await retried.JsonAsync())["available"]!.GetValue<int>().ShouldBe(75);
        var statement = await app.Host.GetAsJson<JsonObject>("/api/credits/transactions?type=adjustment", customer.Tokens.AccessToken);
        statement["items"]!.AsArray().Count.ShouldBe(1);
        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await session.Query<AuditEntry>().CountAsync(a => a.OrganizationId == customer.Organization.Id && a.Action == "credits.adjusted")).ShouldBe(1);
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
