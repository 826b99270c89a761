using BaseAgency.Generations;
using BaseAgency.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.GenerateVideo;

/// <summary>202 with the queued job.</summary>
public sealed class GenerateVideoEndpoint(IMessageBus bus) : Endpoint<GenerateVideoRequest, Results<Accepted<JobView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/generations/video");
        Policies(Identity.Policies.Member);
        Options(b => b.Idempotent());
        Description(d => d.WithName("GenerateVideo").WithSummary("Generate a video from an image").WithTags("Generations")
            .ProducesSubmissionProblems());
    }

    public override Task<Results<Accepted<JobView>, ProblemHttpResult>> ExecuteAsync(GenerateVideoRequest req, CancellationToken ct) =>
        bus.SubmitAsync(HttpContext, (caller, idempotency, cancelAfter) => new GenerateVideo(caller.OrganizationId, caller.UserId, idempotency, req, caller.ApiKeyId, cancelAfter), ct);
}
