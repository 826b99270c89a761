using BaseAgency.Generations;
using BaseAgency.Providers;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Features.GenerateText;

public sealed record GenerateTextRequest(
    string Prompt,
    int? MaxTokens = null,
    string? Provider = null,
    string? Model = null,
    Guid? ProjectId = null,
    IReadOnlyList<string>? Tags = null,
    bool AllowFailover = false);

public sealed class GenerateTextValidator : Validator<GenerateTextRequest>
{
    public const int DefaultMaxTokens = 500;

    public GenerateTextValidator()
    {
        RuleFor(x => x.Prompt).NotEmpty().MaximumLength(Submitting.MaxPromptLength);
        RuleFor(x => x.MaxTokens).InclusiveBetween(1, 4000);
        this.ValidTags(x => x.Tags);
    }
}

/// <summary>
/// POST /api/generations/text (member): priced per thousand tokens; the prompt plus maxTokens is reserved,
/// the tokens actually used are charged.
/// </summary>
public sealed class GenerateTextEndpoint(JobSubmission submission) : GenerationEndpoint<GenerateTextRequest>(submission)
{
    public override void Configure() => Submits(GenerationType.Text, "Generate text");

    protected override ValueTask<(GenerationOrder?, ProblemHttpResult?)> OrderAsync(GenerateTextRequest req, string? key, CancellationToken ct)
    {
        var input = new JobInput(req.Prompt.Trim(), MaxTokens: req.MaxTokens ?? GenerateTextValidator.DefaultMaxTokens,
            ProjectId: req.ProjectId, Tags: Trimmed(req.Tags));
        return new((new GenerationOrder(GenerationType.Text, req.Provider, req.Model, input, key, req.AllowFailover), null));
    }
}
