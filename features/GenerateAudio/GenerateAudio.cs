using BaseAgency.Http;

namespace BaseAgency.Features.GenerateAudio;

/// <param name="QuoteId">A quote of this very request (POST /api/quotes): the job costs exactly its credits.</param>
public sealed record GenerateAudioRequest(
    string Text,
    string? Voice = null,
    string? Provider = null,
    string? Model = null,
    Guid? ProjectId = null,
    IReadOnlyList<string>? Tags = null,
    bool AllowFailover = false,
    Guid? QuoteId = null);

public sealed record GenerateAudio(Guid OrganizationId, Guid UserId, IdempotentRequest? Idempotency, GenerateAudioRequest Request, Guid? ApiKeyId = null, TimeSpan? CancelAfter = null);
