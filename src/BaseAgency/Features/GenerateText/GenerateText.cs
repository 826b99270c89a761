using BaseAgency.Generations;
using BaseAgency.Identity;
using BaseAgency.Providers;
using FastEndpoints;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Marten;
using Wolverine.Runtime;

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
public sealed class GenerateTextEndpoint(IDocumentSession session, IWolverineRuntime wolverine, JobSubmission submission)
    : Endpoint<GenerateTextRequest, Results<Accepted<JobView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/generations/text");
        Policies(Identity.Policies.Member);
        Description(d => d.WithName("GenerateText").WithSummary("Generate text").WithTags("Generations")
            .ProducesProblem(400).ProducesProblem(402).ProducesProblem(403).ProducesProblem(409).ProducesProblem(422));
    }

    public override async Task<Results<Accepted<JobView>, ProblemHttpResult>> ExecuteAsync(GenerateTextRequest req, CancellationToken ct)
    {
        var (key, badKey) = Submitting.IdempotencyKey(HttpContext);
        if (badKey is not null) return badKey;
        var caller = User.Required();
        var input = new JobInput(req.Prompt.Trim(), MaxTokens: req.MaxTokens ?? GenerateTextValidator.DefaultMaxTokens,
            ProjectId: req.ProjectId, Tags: req.Tags?.Select(t => t.Trim()).ToList());
        var (accepted, problem) = await submission.SubmitAsync(session, new MartenOutbox(wolverine, session), caller.OrganizationId,
            caller.UserId, new GenerationOrder(GenerationType.Text, req.Provider, req.Model, input, key, req.AllowFailover), ct);
        return accepted is null ? problem! : Submitting.Answer(HttpContext, accepted);
    }
}
