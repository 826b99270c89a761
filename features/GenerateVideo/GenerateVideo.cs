using BaseAgency.Http;

namespace BaseAgency.Features.GenerateVideo;

/// <param name="SourceImage">An image generation's id, or an https URL of an image.</param>
/// <param name="QuoteId">A quote of this very request (POST /api/quotes): the job costs exactly its credits.</param>
public sealed record GenerateVideoRequest(
    string SourceImage,
    int Duration,
    string? MotionPrompt = null,
    string? AspectRatio = null,
    string? Provider = null,
    string? Model = null,
    long? Seed = null,
    Guid? ProjectId = null,
    IReadOnlyList<string>? Tags = null,
    bool AllowFailover = false,
    Guid? QuoteId = null);

public sealed record GenerateVideo(Guid OrganizationId, Guid UserId, IdempotentRequest? Idempotency, GenerateVideoRequest Request, Guid? ApiKeyId = null, TimeSpan? CancelAfter = null);
