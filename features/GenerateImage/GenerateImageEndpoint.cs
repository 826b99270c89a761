using BaseAgency.Generations;
using BaseAgency.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.GenerateImage;

/// <summary>202 with the queued job.</summary>
public sealed class GenerateImageEndpoint(IMessageBus bus) : Endpoint<GenerateImageRequest, Results<Accepted<JobView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/generations/image");
        Policies(Identity.Policies.Member);
        Options(b => b.Idempotent());
        Description(d => d.WithName("GenerateImage").WithSummary("Generate an image").WithTags("Generations")
            .ProducesSubmissionProblems());
    }

    public override Task<Results<Accepted<JobView>, ProblemHttpResult>> ExecuteAsync(GenerateImageRequest req, CancellationToken ct) =>
        bus.SubmitAsync(HttpContext, (caller, idempotency, cancelAfter) => new GenerateImage(caller.OrganizationId, caller.UserId, idempotency, req, caller.ApiKeyId, cancelAfter), ct);
}
