using BaseAgency.Generations;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.GenerateText;

/// <summary>202 with the queued job; a repeated Idempotency-Key returns the first job.</summary>
public sealed class GenerateTextEndpoint(IMessageBus bus) : Endpoint<GenerateTextRequest, Results<Accepted<JobView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/generations/text");
        Policies(Identity.Policies.Member);
        Description(d => d.WithName("GenerateText").WithSummary("Generate text").WithTags("Generations")
            .ProducesSubmissionProblems());
    }

    public override Task<Results<Accepted<JobView>, ProblemHttpResult>> ExecuteAsync(GenerateTextRequest req, CancellationToken ct) =>
        bus.SubmitAsync(HttpContext, (caller, key) => new GenerateText(caller.OrganizationId, caller.UserId, key, req), ct);
}
