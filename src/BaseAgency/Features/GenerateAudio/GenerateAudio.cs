using BaseAgency.Generations;
using BaseAgency.Providers;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

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
public sealed class GenerateAudioEndpoint(JobSubmission submission) : GenerationEndpoint<GenerateAudioRequest>(submission)
{
    public override void Configure() => Submits(GenerationType.Audio, "Generate speech from text");

    protected override ValueTask<(GenerationOrder?, ProblemHttpResult?)> OrderAsync(GenerateAudioRequest req, string? key, CancellationToken ct)
    {
        var text = req.Text.Trim();
        var input = new JobInput(text, Voice: req.Voice?.Trim(), DurationSeconds: Estimates.SpeechSeconds(text),
            ProjectId: req.ProjectId, Tags: Trimmed(req.Tags));
        return new((new GenerationOrder(GenerationType.Audio, req.Provider, req.Model, input, key, req.AllowFailover), null));
    }
}
