using BaseAgency.Http;

namespace BaseAgency.Features.GenerateText;

public sealed record GenerateTextRequest(
    string Prompt,
    int? MaxTokens = null,
    string? Provider = null,
    string? Model = null,
    Guid? ProjectId = null,
    IReadOnlyList<string>? Tags = null,
    bool AllowFailover = false);

public sealed record GenerateText(Guid OrganizationId, Guid UserId, IdempotentRequest? Idempotency, GenerateTextRequest Request, Guid? ApiKeyId = null);
