using BaseAgency.Http;
using BaseAgency.Providers.Keys;
using Marten;

namespace BaseAgency.Features.DeleteProviderKey;

public static class DeleteProviderKeyHandler
{
    public static async Task<Outcome<ProviderKeyDeleted>> Handle(DeleteProviderKey command, IDocumentSession session, CancellationToken ct)
    {
        var provider = ProviderKey.IdFor(command.Provider);
        if (await session.LoadAsync<ProviderKey>(provider, ct) is null) return Problems.NotFound("The provider key");
        session.Delete<ProviderKey>(provider);
        return new ProviderKeyDeleted(provider);
    }
}
