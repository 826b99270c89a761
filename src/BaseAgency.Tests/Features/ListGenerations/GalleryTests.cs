using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.ListGenerations;

[Collection(AppCollection.Name)]
public sealed class GalleryTests(AppFixture app)
{
    [Fact]
    public async Task The_gallery_filters_tags_favorites_and_soft_deletes()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var first = await app.Host.WaitForJobAsync(token, (await app.Host.SubmitJobAsync(token, "image", new { prompt = "one", tags = new[] { "brand" } })).IdOf());
        var second = await app.Host.WaitForJobAsync(token, (await app.Host.SubmitJobAsync(token, "image", new { prompt = "two" })).IdOf());
        var firstId = first["generationId"]!.GetValue<Guid>();
        var secondId = second["generationId"]!.GetValue<Guid>();

        var patched = await app.Host.Scenario(s =>
        {
            s.Patch.Json(new { isFavorite = true, tags = new[] { "brand", "q4" } }).ToUrl($"/api/generations/{secondId}");
            s.As(token);
            s.StatusCodeShouldBe(200);
        });
        (await patched.JsonAsync())["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["brand", "q4"]);

        async Task<List<Guid>> Ids(string query) =>
            (await app.Host.GetAsJson<JsonObject>($"/api/generations{query}", token))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).ToList();
        (await Ids("")).ShouldBe([secondId, firstId]);
        (await Ids("?tag=brand")).ShouldBe([secondId, firstId]);
        (await Ids("?tag=q4")).ShouldBe([secondId]);
        (await Ids("?favorite=true")).ShouldBe([secondId]);
        (await Ids("?type=audio")).ShouldBeEmpty();
        var page = await app.Host.GetAsJson<JsonObject>("/api/generations?limit=1", token);
        (await Ids($"?limit=1&cursor={page["nextCursor"]}")).ShouldBe([firstId]);

        await app.Host.Scenario(s =>
        {
            s.Delete.Url($"/api/generations/{firstId}");
            s.As(token);
            s.StatusCodeShouldBe(204);
        });
        (await Ids("")).ShouldBe([secondId]);
        await app.Host.GetAsJson<JsonObject>($"/api/generations/{firstId}", token, 404);
    }
}
