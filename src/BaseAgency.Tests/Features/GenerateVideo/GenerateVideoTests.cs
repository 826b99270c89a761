using BaseAgency.Features.GenerateVideo;
using BaseAgency.Generations;
using BaseAgency.Plans;
using BaseAgency.Providers;
using BaseAgency.Tests.Support;

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

    [Fact]
    public void A_source_image_of_ours_must_exist_and_be_an_image()
    {
        Generation Made(GenerationType type) => new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), type, "local", "local-image", new JobInput("x"), [],
            null, 1, 0, 0, DateTimeOffset.UtcNow, []);

        GenerateVideoHandler.SourceProblem(Made(GenerationType.Image)).ShouldBeNull();
        GenerateVideoHandler.SourceProblem(null)!.StatusCode.ShouldBe(404);
        GenerateVideoHandler.SourceProblem(Made(GenerationType.Image) with { DeletedAt = DateTimeOffset.UtcNow })!.StatusCode.ShouldBe(404);
        var notAnImage = GenerateVideoHandler.SourceProblem(Made(GenerationType.Audio))!;
        notAnImage.StatusCode.ShouldBe(422);
        notAnImage.ProblemDetails.Extensions["code"].ShouldBe("source_not_an_image");
    }
}
