using BaseAgency.Generations;
using BaseAgency.Http;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.GenerateAudio;

/// <summary>202 with the queued job.</summary>
public sealed class GenerateAudioEndpoint(IMessageBus bus) : Endpoint<GenerateAudioRequest, Results<Accepted<JobView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/generations/audio");
        Policies(Identity.Policies.Member);
        Options(b => b.Idempotent());
        Description(d => d.WithName("GenerateAudio").WithSummary("Generate speech from text").WithTags("Generations")
            .ProducesSubmissionProblems());
    }

    public override Task<Results<Accepted<JobView>, ProblemHttpResult>> ExecuteAsync(GenerateAudioRequest req, CancellationToken ct) =>
        bus.SubmitAsync(HttpContext, (caller, idempotency, cancelAfter) => new GenerateAudio(caller.OrganizationId, caller.UserId, idempotency, req, caller.ApiKeyId, cancelAfter), ct);
}
