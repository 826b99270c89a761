using BaseAgency.Generations;
using BaseAgency.Providers;

namespace BaseAgency.Features.CreateQuote;

/// <summary>
/// The body of the generation to price, with its <paramref name="Type"/>: the fields of that type's
/// POST /api/generations/{type} (others are ignored, so the generation's own body can be sent as it is).
/// </summary>
public sealed record CreateQuoteRequest(
    GenerationType? Type,
    string? Prompt = null,
    string? NegativePrompt = null,
    string? Style = null,
    string? AspectRatio = null,
    int? Width = null,
    int? Height = null,
    string? SourceImage = null,
    int? Duration = null,
    string? MotionPrompt = null,
    string? Text = null,
    string? Voice = null,
    int? MaxTokens = null,
    string? Provider = null,
    string? Model = null,
    bool AllowFailover = false);

public sealed record CreateQuote(Guid OrganizationId, Guid UserId, CreateQuoteRequest Request, Guid? ApiKeyId = null);

public sealed record QuoteView(Guid Id, GenerationType Type, string Provider, string Model, int Credits, QuoteBreakdown Breakdown,
    DateTimeOffset ExpiresAt)
{
    public static QuoteView Of(Quote quote) =>
        new(quote.Id, quote.Type, quote.Provider, quote.Model, quote.Credits, quote.Breakdown, quote.ExpiresAt);
}
