using BaseAgency.Providers.Keys;
using FastEndpoints;
using Marten;

namespace BaseAgency.Features.ListProviderKeys;

/// <summary>GET /api/provider-keys (admin): the organization's own keys: hint, validity, last validated and used, requests.</summary>
public sealed class ListProviderKeysEndpoint(IQuerySession session) : EndpointWithoutRequest<IReadOnlyList<ProviderKeyView>>
{
    public override void Configure()
    {
        Get("/provider-keys");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("ListProviderKeys").WithSummary("The organization's own provider keys (hints only)").WithTags("Provider keys"));
    }

    public override async Task HandleAsync(CancellationToken ct) =>
        await Send.OkAsync((await session.Query<ProviderKey>().OrderBy(k => k.Id).ToListAsync(ct)).Select(ProviderKeyView.Of).ToList(), ct);
}
