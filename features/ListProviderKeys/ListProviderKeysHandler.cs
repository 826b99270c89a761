using BaseAgency.Http;
using BaseAgency.Providers.Keys;
using Marten;

namespace BaseAgency.Features.ListProviderKeys;

public static class ListProviderKeysHandler
{
    public static async Task<Outcome<IReadOnlyList<ProviderKeyView>>> Handle(ListProviderKeys query, IQuerySession session, CancellationToken ct)
    {
        var keys = await session.Query<ProviderKey>().OrderBy(k => k.Id).ToListAsync(ct);
        return keys.Select(ProviderKeyView.Of).ToList();
    }
}
