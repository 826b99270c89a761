using BaseAgency.Generations;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.GenerateAudio;

/// <summary>202 with the queued job; a repeated Idempotency-Key returns the first job.</summary>
public sealed class GenerateAudioEndpoint(IMessageBus bus) : Endpoint<GenerateAudioRequest, Results<Accepted<JobView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/generations/audio");
        Policies(Identity.Policies.Member);
        Description(d => d.WithName("GenerateAudio").WithSummary("Generate speech from text").WithTags("Generations")
            .ProducesSubmissionProblems());
    }

    public override Task<Results<Accepted<JobView>, ProblemHttpResult>> ExecuteAsync(GenerateAudioRequest req, CancellationToken ct) =>
        bus.SubmitAsync(HttpContext, (caller, key) => new GenerateAudio(caller.OrganizationId, caller.UserId, key, req), ct);
}
