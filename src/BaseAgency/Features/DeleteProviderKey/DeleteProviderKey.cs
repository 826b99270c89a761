using BaseAgency.Http;
using BaseAgency.Providers.Keys;
using FastEndpoints;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Features.DeleteProviderKey;

/// <summary>DELETE /api/provider-keys/{provider} (admin): forget the organization's key; jobs use the platform's again.</summary>
public sealed class DeleteProviderKeyEndpoint(IDocumentSession session) : EndpointWithoutRequest<Results<NoContent, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/provider-keys/{provider}");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("DeleteProviderKey").WithSummary("Delete the organization's key for a provider").WithTags("Provider keys").ProducesProblem(404));
    }

    public override async Task<Results<NoContent, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var provider = Route<string>("provider")!.ToLowerInvariant();
        if (await session.LoadAsync<ProviderKey>(provider, ct) is null) return Problems.NotFound("The provider key");
        session.Delete<ProviderKey>(provider);
        await session.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
