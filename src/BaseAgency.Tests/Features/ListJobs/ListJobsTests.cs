using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.ListJobs;

[Collection(AppCollection.Name)]
public sealed class ListJobsTests(AppFixture app)
{
    [Fact]
    public async Task Jobs_are_listed_newest_first_filtered_and_paged()
    {
        await app.Host.UseScriptedProviderAsync();
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var image = await app.Host.WaitForJobAsync(token, (await app.Host.SubmitJobAsync(token, "image", new { prompt = "listed image" })).IdOf());
        var text = await app.Host.WaitForJobAsync(token, (await app.Host.SubmitJobAsync(token, "text", new { prompt = "listed text", maxTokens = 50 })).IdOf());
        var failed = await app.Host.WaitForJobAsync(token, (await app.Host.SubmitJobAsync(token, "image",
            new { prompt = "content policy listed", provider = "scripted", model = "scripted-image", width = 512, height = 512 })).IdOf());

        async Task<List<Guid>> Ids(string query) =>
            (await app.Host.GetAsJson<JsonObject>($"/api/jobs{query}", token))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).ToList();
        (await Ids("")).ShouldBe([failed.IdOf(), text.IdOf(), image.IdOf()]);
        (await Ids("?type=image")).ShouldBe([failed.IdOf(), image.IdOf()]);
        (await Ids("?status=failed")).ShouldBe([failed.IdOf()]);
        (await Ids("?provider=local&status=completed")).ShouldBe([text.IdOf(), image.IdOf()]);
        var first = await app.Host.GetAsJson<JsonObject>("/api/jobs?limit=2", token);
        first["items"]!.AsArray().Count.ShouldBe(2);
        (await Ids($"?limit=2&cursor={first["nextCursor"]}")).ShouldBe([image.IdOf()]);
        var bad = await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/jobs?limit=500");
            s.As(token);
            s.StatusCodeShouldBe(400);
        });
        await bad.ProblemAsync(400, "validation_failed");
    }
}
