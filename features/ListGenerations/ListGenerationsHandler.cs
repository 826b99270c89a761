using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Storage;
using Marten;
using Microsoft.Extensions.Options;

namespace BaseAgency.Features.ListGenerations;

/// <summary>The gallery leaves deleted items out. A list has no problem to report, so the page is the whole answer.</summary>
public static class ListGenerationsHandler
{
    public static async Task<GenerationsPage> Handle(ListGenerations query, IQuerySession session, IFileStore files,
        IOptions<GenerationOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var generations = session.Query<Generation>().Where(g => g.DeletedAt == null);
        if (query.Type is { } type) generations = generations.Where(g => g.Type == type);
        if (query.Provider is { } provider) generations = generations.Where(g => g.Provider == provider);
        if (query.Model is { } model) generations = generations.Where(g => g.Model == model);
        if (query.Tag is { } tag) generations = generations.Where(g => g.Tags.Contains(tag));
        if (query.Favorite is { } favorite) generations = generations.Where(g => g.IsFavorite == favorite);
        if (query.ProjectId is { } project) generations = generations.Where(g => g.ProjectId == project);
        if (query.CreatedFrom is { } from) generations = generations.Where(g => g.CreatedAt >= from);
        if (query.CreatedTo is { } to) generations = generations.Where(g => g.CreatedAt < to);

        var expires = clock.GetUtcNow() + options.Value.FileUrlLifetime;
        var page = await generations.NewestFirstAsync(query.Cursor, query.Limit, g => g.Id, g => GenerationView.Of(g, files, expires), ct);
        return new GenerationsPage(page.Items, page.NextCursor);
    }
}
