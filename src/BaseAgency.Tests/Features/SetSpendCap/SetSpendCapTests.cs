using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Identity;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.SetSpendCap;

[Collection(AppCollection.Name)]
public sealed class SetSpendCapTests(AppFixture app)
{
    [Fact]
    public async Task Submissions_that_would_pass_the_cap_are_refused_until_it_is_raised_or_removed()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        (await SetAsync(token, new { monthlyCredits = 2 }, 200))["monthlyCredits"]!.GetValue<int>().ShouldBe(2);

        await app.Host.SubmitJobAsync(token, "image", new { prompt = "one", width = 256, height = 256 });
        await app.Host.SubmitJobAsync(token, "image", new { prompt = "two", width = 256, height = 256 });
        var refused = await app.Host.SubmitAsync(token, "image", new { prompt = "three", width = 256, height = 256 }, 403);
        (await refused.ProblemAsync(403, "spend_cap_reached"))["detail"]!.GetValue<string>().ShouldContain("2 are used or reserved");

        var balance = await app.Host.GetAsJson<JsonObject>("/api/credits/balance", token);
        balance["spendCap"]!["monthlyCredits"]!.GetValue<int>().ShouldBe(2);
        balance["spendCap"]!["usedOrReserved"]!.GetValue<int>().ShouldBe(2);
        (await SetAsync(token, new { monthlyCredits = (int?)null }, 200))["monthlyCredits"].ShouldBeNull();
        await app.Host.SubmitJobAsync(token, "image", new { prompt = "three", width = 256, height = 256 });
    }

    [Fact]
    public async Task Twenty_submissions_at_once_never_pass_the_cap()
    {
        var customer = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(customer.Organization.Id, PlanSlug.Starter);
        var token = customer.Tokens.AccessToken;
        await SetAsync(token, new { monthlyCredits = 5 }, 200);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => app.Host.Scenario(s =>
        {
            s.Post.Json(new { prompt = $"race {i}", width = 256, height = 256 }).ToUrl("/api/generations/image");
            s.As(token);
            s.IgnoreStatusCode();
        })));

        answers.Count(a => a.Context.Response.StatusCode == 202).ShouldBe(5);
        answers.Count(a => a.Context.Response.StatusCode == 403).ShouldBe(15);
    }

    [Fact]
    public async Task Only_admins_set_a_cap_and_it_is_a_positive_number_of_credits()
    {
        var customer = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(customer.Organization.Id, PlanSlug.Starter);
        var member = await app.Host.AddMemberAsync(customer.Tokens.AccessToken, Role.Member);

        await (await SetResultAsync(member.Tokens.AccessToken, new { monthlyCredits = 10 }, 403)).ProblemAsync(403, "forbidden");
        foreach (var bad in new object[] { new { monthlyCredits = 0 }, new { monthlyCredits = -5 }, new { monthlyCredits = 1_000_000_000 } })
            await (await SetResultAsync(customer.Tokens.AccessToken, bad, 400)).ProblemAsync(400, "validation_failed");
    }

    private async Task<JsonObject> SetAsync(string token, object body, int status) => await (await SetResultAsync(token, body, status)).JsonAsync();

    private Task<IScenarioResult> SetResultAsync(string token, object body, int status) => app.Host.Scenario(s =>
    {
        s.Put.Json(body).ToUrl("/api/credits/spend-cap");
        s.As(token);
        s.StatusCodeShouldBe(status);
    });
}
