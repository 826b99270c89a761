using BaseAgency.Http;

namespace BaseAgency.Features.GenerateText;

/// <param name="QuoteId">A quote of this very request (POST /api/quotes): the job costs exactly its credits.</param>
public sealed record GenerateTextRequest(
    string Prompt,
    int? MaxTokens = null,
    string? Provider = null,
    string? Model = null,
    Guid? ProjectId = null,
    IReadOnlyList<string>? Tags = null,
    bool AllowFailover = false,
    Guid? QuoteId = null);

public sealed record GenerateText(Guid OrganizationId, Guid UserId, IdempotentRequest? Idempotency, GenerateTextRequest Request, Guid? ApiKeyId = null, TimeSpan? CancelAfter = null);
