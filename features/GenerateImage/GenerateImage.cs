using BaseAgency.Http;

namespace BaseAgency.Features.GenerateImage;

/// <param name="QuoteId">A quote of this very request (POST /api/quotes): the job costs exactly its credits.</param>
public sealed record GenerateImageRequest(
    string Prompt,
    string? NegativePrompt = null,
    string? Provider = null,
    string? Model = null,
    string? Style = null,
    string? AspectRatio = null,
    int? Width = null,
    int? Height = null,
    long? Seed = null,
    Guid? ProjectId = null,
    IReadOnlyList<string>? Tags = null,
    bool AllowFailover = false,
    Guid? QuoteId = null);

public sealed record GenerateImage(Guid OrganizationId, Guid UserId, IdempotentRequest? Idempotency, GenerateImageRequest Request, Guid? ApiKeyId = null, TimeSpan? CancelAfter = null);
