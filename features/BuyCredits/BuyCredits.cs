namespace BaseAgency.Features.BuyCredits;

public sealed record BuyCreditsRequest(string PackId);

public sealed record BuyCredits(Guid OrganizationId, Guid UserId, string PackId);
