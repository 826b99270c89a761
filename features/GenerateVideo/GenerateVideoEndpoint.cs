using BaseAgency.Generations;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.GenerateVideo;

/// <summary>202 with the queued job; a repeated Idempotency-Key returns the first job.</summary>
public sealed class GenerateVideoEndpoint(IMessageBus bus) : Endpoint<GenerateVideoRequest, Results<Accepted<JobView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/generations/video");
        Policies(Identity.Policies.Member);
        Description(d => d.WithName("GenerateVideo").WithSummary("Generate a video from an image").WithTags("Generations")
            .ProducesSubmissionProblems());
    }

    public override Task<Results<Accepted<JobView>, ProblemHttpResult>> ExecuteAsync(GenerateVideoRequest req, CancellationToken ct) =>
        bus.SubmitAsync(HttpContext, (caller, key) => new GenerateVideo(caller.OrganizationId, caller.UserId, key, req), ct);
}
