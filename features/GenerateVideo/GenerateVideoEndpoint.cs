using BaseAgency.Events;
using BaseAgency.Generations;
using BaseAgency.Http;
using FastEndpoints;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.GenerateVideo;

/// <summary>202 with the queued job; 200 with it finished when <c>Prefer: wait</c> saw it finish in time.</summary>
public sealed class GenerateVideoEndpoint(IMessageBus bus, EventHub hub, IDocumentStore store)
    : Endpoint<GenerateVideoRequest, Results<Ok<JobView>, Accepted<JobView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/generations/video");
        Policies(Identity.Policies.Member);
        Options(b => b.Idempotent().AcceptsDeadlineAndWait());
        Description(d => d.WithName("GenerateVideo").WithSummary("Generate a video from an image").WithTags("Generations")
            .ProducesSubmissionProblems());
    }

    public override Task<Results<Ok<JobView>, Accepted<JobView>, ProblemHttpResult>> ExecuteAsync(GenerateVideoRequest req, CancellationToken ct) =>
        bus.SubmitAsync(HttpContext, hub, store, (caller, idempotency, cancelAfter) => new GenerateVideo(caller.OrganizationId, caller.UserId, idempotency, req, caller.ApiKeyId, cancelAfter), ct);
}
