using BaseAgency.Http;

namespace BaseAgency.Features.GenerateVideo;

/// <param name="SourceImage">An image generation's id, or an https URL of an image.</param>
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
    bool AllowFailover = false);

public sealed record GenerateVideo(Guid OrganizationId, Guid UserId, IdempotentRequest? Idempotency, GenerateVideoRequest Request, Guid? ApiKeyId = null);
