using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Providers;
using Marten;

namespace BaseAgency.Features.CreateQuote;

/// <summary>Prices the request as its submission would be priced, refused the same way, and keeps the quote; reserves nothing.</summary>
public static class CreateQuoteHandler
{
    public static async Task<Outcome<QuoteView>> Handle(CreateQuote command, IDocumentSession session, JobSubmission submission, CancellationToken ct)
    {
        var req = command.Request;
        var type = req.Type!.Value;
        var order = new JobOrder(command.OrganizationId, command.UserId, null, type, req.Provider, req.Model, InputOf(type, req),
            req.AllowFailover, command.ApiKeyId);
        var quoted = await submission.QuoteAsync(session, order, ct);
        if (quoted.Problem is { } problem) return problem;
        session.Insert(quoted.Value!);
        return QuoteView.Of(quoted.Value!);
    }

    /// <summary>The validator has made sure the fields the type needs are there.</summary>
    public static JobInput InputOf(GenerationType type, CreateQuoteRequest req) => type switch
    {
        GenerationType.Image => JobInputs.Image(req.Prompt!, req.NegativePrompt, req.Style, req.AspectRatio, req.Width, req.Height),
        GenerationType.Video => JobInputs.Video(req.SourceImage!, req.Duration!.Value, req.MotionPrompt, req.AspectRatio),
        GenerationType.Audio => JobInputs.Audio(req.Text!, req.Voice),
        _ => JobInputs.Text(req.Prompt!, req.MaxTokens),
    };
}
