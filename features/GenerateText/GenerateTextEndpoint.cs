using BaseAgency.Events;
using BaseAgency.Generations;
using BaseAgency.Http;
using FastEndpoints;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.GenerateText;

/// <summary>202 with the queued job; 200 with it finished when <c>Prefer: wait</c> saw it finish in time.</summary>
public sealed class GenerateTextEndpoint(IMessageBus bus, EventHub hub, IDocumentStore store)
    : Endpoint<GenerateTextRequest, Results<Ok<JobView>, Accepted<JobView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/generations/text");
        Policies(Identity.Policies.Member);
        Options(b => b.Idempotent().AcceptsDeadlineAndWait());
        Description(d => d.WithName("GenerateText").WithSummary("Generate text").WithTags("Generations")
            .ProducesSubmissionProblems());
    }

    public override Task<Results<Ok<JobView>, Accepted<JobView>, ProblemHttpResult>> ExecuteAsync(GenerateTextRequest req, CancellationToken ct) =>
        bus.SubmitAsync(HttpContext, hub, store, (caller, idempotency, cancelAfter) => new GenerateText(caller.OrganizationId, caller.UserId, idempotency, req, caller.ApiKeyId, cancelAfter), ct);
}
