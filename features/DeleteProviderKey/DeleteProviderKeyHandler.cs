using BaseAgency.Platform;
using BaseAgency.Http;
using BaseAgency.Providers.Keys;
using Marten;

namespace BaseAgency.Features.DeleteProviderKey;

public static class DeleteProviderKeyHandler
{
    public static async Task<Outcome<ProviderKeyDeleted>> Handle(DeleteProviderKey command, IDocumentSession session, TimeProvider clock,
        CancellationToken ct)
    {
        var provider = ProviderKey.IdFor(command.Provider);
        if (await session.LoadAsync<ProviderKey>(provider, ct) is not { } key) return Problems.NotFound("The provider key");
        session.Delete<ProviderKey>(provider);
        session.Insert(AuditEntry.Changed(command.ActorId, key.OrganizationId, "provider_key.removed", "provider_keys", provider, clock.GetUtcNow(),
            ("key", key.Hint, null)));
        return new ProviderKeyDeleted(provider);
    }
}
