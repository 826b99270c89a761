using Marten;
using Marten.Linq.MatchesSql;

namespace BaseAgency.Http;

/// <summary>One page of a list, newest first; <see cref="NextCursor"/> is passed back as <c>cursor</c> for the next.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, Guid? NextCursor);

/// <summary>
/// The one way to page a list: by id, newest first. Ids are time-ordered (version 7), so the cursor is
/// the last id seen and a page costs the same however deep it is.
/// </summary>
public static class Pages
{
    public static async Task<Page<TView>> NewestFirstAsync<TDocument, TView>(this IQueryable<TDocument> query, Guid? cursor, int limit,
        Func<TDocument, Guid> idOf, Func<TDocument, TView> view, CancellationToken ct) where TDocument : notnull
    {
        if (cursor is { } last) query = query.Where(d => d.MatchesSql("d.id < ?", last));
        var rows = await query.OrderBySql("d.id desc").Take(limit + 1).ToListAsync(ct);
        var items = rows.Take(limit).ToList();
        return new Page<TView>(items.Select(view).ToList(), rows.Count > limit ? idOf(items[^1]) : null);
    }
}
