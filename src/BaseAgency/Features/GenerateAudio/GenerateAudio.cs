using BaseAgency.Generations;
using BaseAgency.Identity;
using BaseAgency.Providers;
using FastEndpoints;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Marten;
using Wolverine.Runtime;

namespace BaseAgency.Features.GenerateAudio;

public sealed record GenerateAudioRequest(
    string Text,
    string? Voice = null,
    string? Provider = null,
    string? Model = null,
    Guid? ProjectId = null,
    IReadOnlyList<string>? Tags = null,
    bool AllowFailover = false);

public sealed class GenerateAudioValidator : Validator<GenerateAudioRequest>
{
    public const int MaxTextLength = 5000;

    public GenerateAudioValidator()
    {
        RuleFor(x => x.Text).NotEmpty().MaximumLength(MaxTextLength);
        RuleFor(x => x.Voice).MaximumLength(100);
        this.ValidTags(x => x.Tags);
    }
}

/// <summary>POST /api/generations/audio (member): speech from text; priced per minute of audio (estimated, then actual).</summary>
public sealed class GenerateAudioEndpoint(IDocumentSession session, IWolverineRuntime wolverine, JobSubmission submission)
    : Endpoint<GenerateAudioRequest, Results<Accepted<JobView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/generations/audio");
        Policies(Identity.Policies.Member);
        Description(d => d.WithName("GenerateAudio").WithSummary("Generate speech from text").WithTags("Generations")
            .ProducesProblem(400).ProducesProblem(402).ProducesProblem(403).ProducesProblem(409).ProducesProblem(422));
    }

    public override async Task<Results<Accepted<JobView>, ProblemHttpResult>> ExecuteAsync(GenerateAudioRequest req, CancellationToken ct)
    {
        var (key, badKey) = Submitting.IdempotencyKey(HttpContext);
        if (badKey is not null) return badKey;
        var caller = User.Required();
        var text = req.Text.Trim();
        var input = new JobInput(text, Voice: req.Voice?.Trim(), DurationSeconds: Pricing.EstimateSpeechSeconds(text),
            ProjectId: req.ProjectId, Tags: req.Tags?.Select(t => t.Trim()).ToList());
        var (accepted, problem) = await submission.SubmitAsync(session, new MartenOutbox(wolverine, session), caller.OrganizationId,
            caller.UserId, new GenerationOrder(GenerationType.Audio, req.Provider, req.Model, input, key, req.AllowFailover), ct);
        return accepted is null ? problem! : Submitting.Answer(HttpContext, accepted);
    }
}
