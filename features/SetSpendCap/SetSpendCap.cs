namespace BaseAgency.Features.SetSpendCap;

/// <param name="MonthlyCredits">The most credits the organization may use or reserve in a period; null removes the cap.</param>
public sealed record SetSpendCapRequest(int? MonthlyCredits);

public sealed record SetSpendCap(Guid OrganizationId, Guid UserId, int? MonthlyCredits);
