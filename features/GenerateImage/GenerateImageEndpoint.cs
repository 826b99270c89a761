using BaseAgency.Events;
using BaseAgency.Generations;
using BaseAgency.Http;
using FastEndpoints;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.GenerateImage;

/// <summary>202 with the queued job; 200 with it finished when <c>Prefer: wait</c> saw it finish in time.</summary>
public sealed class GenerateImageEndpoint(IMessageBus bus, EventHub hub, IDocumentStore store)
    : Endpoint<GenerateImageRequest, Results<Ok<JobView>, Accepted<JobView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/generations/image");
        Policies(Identity.Policies.Member);
        Options(b => b.Idempotent().AcceptsDeadlineAndWait());
        Description(d => d.WithName("GenerateImage").WithSummary("Generate an image").WithTags("Generations")
            .ProducesSubmissionProblems());
    }

    public override Task<Results<Ok<JobView>, Accepted<JobView>, ProblemHttpResult>> ExecuteAsync(GenerateImageRequest req, CancellationToken ct) =>
        bus.SubmitAsync(HttpContext, hub, store, (caller, idempotency, cancelAfter) => new GenerateImage(caller.OrganizationId, caller.UserId, idempotency, req, caller.ApiKeyId, cancelAfter), ct);
}
