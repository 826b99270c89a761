using BaseAgency.Http;
using BaseAgency.Identity;
using Marten;

namespace BaseAgency.Features.ListApiKeys;

public static class ListApiKeysHandler
{
    public static async Task<Outcome<IReadOnlyList<ApiKeyView>>> Handle(ListApiKeys query, IQuerySession session, CancellationToken ct)
    {
        var keys = await session.Query<ApiKey>().OrderByDescending(k => k.CreatedAt).ToListAsync(ct);
        return keys.Select(ApiKeyView.Of).ToList();
    }
}
