using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Features.GenerateVideo;

[Collection(AppCollection.Name)]
public sealed class GenerateVideoTests(AppFixture app)
{
    [Fact]
    public async Task Video_longer_than_the_plan_allows_and_video_with_no_provider_are_refused()
    {
        var customer = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(customer.Organization.Id, PlanSlug.Starter); // videos up to 5 s
        var token = customer.Tokens.AccessToken;

        var longer = await app.Host.SubmitAsync(token, "video",
            new { sourceImage = "https://example.com/cat.png", duration = 6, provider = "replicate", model = "kling-1.5" }, 403);
        (await longer.ProblemAsync(403, "video_duration_above_plan"))["maxVideoDuration"]!.GetValue<int>().ShouldBe(5);
        var local = await app.Host.SubmitAsync(token, "video", new { sourceImage = "https://example.com/cat.png", duration = 5 }, 422);
        await local.ProblemAsync(422, "model_required"); // the local provider makes no video
        var missing = await app.Host.SubmitAsync(token, "video", new { sourceImage = Guid.NewGuid().ToString(), duration = 5, provider = "replicate", model = "kling-1.5" }, 404);
        await missing.ProblemAsync(404, "not_found");
    }
}
