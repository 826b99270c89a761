using BaseAgency.Http;

namespace BaseAgency.Features.GenerateAudio;

public sealed record GenerateAudioRequest(
    string Text,
    string? Voice = null,
    string? Provider = null,
    string? Model = null,
    Guid? ProjectId = null,
    IReadOnlyList<string>? Tags = null,
    bool AllowFailover = false);

public sealed record GenerateAudio(Guid OrganizationId, Guid UserId, IdempotentRequest? Idempotency, GenerateAudioRequest Request, Guid? ApiKeyId = null);
