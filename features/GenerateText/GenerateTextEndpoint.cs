using BaseAgency.Generations;
using BaseAgency.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.GenerateText;

/// <summary>202 with the queued job.</summary>
public sealed class GenerateTextEndpoint(IMessageBus bus) : Endpoint<GenerateTextRequest, Results<Accepted<JobView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/generations/text");
        Policies(Identity.Policies.Member);
        Options(b => b.Idempotent());
        Description(d => d.WithName("GenerateText").WithSummary("Generate text").WithTags("Generations")
            .ProducesSubmissionProblems());
    }

    public override Task<Results<Accepted<JobView>, ProblemHttpResult>> ExecuteAsync(GenerateTextRequest req, CancellationToken ct) =>
        bus.SubmitAsync(HttpContext, (caller, idempotency, cancelAfter) => new GenerateText(caller.OrganizationId, caller.UserId, idempotency, req, caller.ApiKeyId, cancelAfter), ct);
}
