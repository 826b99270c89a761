namespace BaseAgency.Features.ListCreditPacks;

public sealed record ListCreditPacks;

public sealed record CreditPackView(string Id, string Name, int Credits, decimal Price, string Currency);
