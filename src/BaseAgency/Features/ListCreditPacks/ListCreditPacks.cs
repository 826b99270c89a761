using BaseAgency.Billing;
using FastEndpoints;
using Microsoft.Extensions.Options;

namespace BaseAgency.Features.ListCreditPacks;

public sealed record CreditPackView(string Id, string Name, int Credits, decimal Price, string Currency);

/// <summary>GET /api/credits/packs (public): the credit packs on sale, from configuration.</summary>
public sealed class ListCreditPacksEndpoint(IOptions<BillingOptions> billing) : EndpointWithoutRequest<IReadOnlyList<CreditPackView>>
{
    public override void Configure()
    {
        Get("/credits/packs");
        AllowAnonymous();
        Description(d => d.WithName("ListCreditPacks").WithSummary("Credit packs on sale").WithTags("Credits"));
    }

    public override Task HandleAsync(CancellationToken ct) =>
        Send.OkAsync(billing.Value.PacksOnSale.Select(p => new CreditPackView(p.Id, p.Name, p.Credits, p.PriceCents / 100m, p.Currency)).ToList(), ct);
}
