using BaseAgency.Generations;
using BaseAgency.Providers;
using BaseAgency.Storage;
using FastEndpoints;
using FluentValidation;
using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.Extensions.Options;

namespace BaseAgency.Features.ListGenerations;

public sealed class ListGenerationsRequest
{
    [QueryParam] public GenerationType? Type { get; init; }
    [QueryParam] public string? Provider { get; init; }
    [QueryParam] public string? Model { get; init; }
    [QueryParam] public string? Tag { get; init; }
    [QueryParam] public bool? Favorite { get; init; }
    [QueryParam] public Guid? ProjectId { get; init; }
    [QueryParam] public DateTimeOffset? CreatedFrom { get; init; }
    [QueryParam] public DateTimeOffset? CreatedTo { get; init; }
    /// <summary>The <c>nextCursor</c> of the previous page.</summary>
    [QueryParam] public Guid? Cursor { get; init; }
    [QueryParam] public int Limit { get; init; } = 24;
}

public sealed record GenerationsPage(IReadOnlyList<GenerationView> Items, Guid? NextCursor);

public sealed class ListGenerationsValidator : Validator<ListGenerationsRequest>
{
    public ListGenerationsValidator()
    {
        RuleFor(x => x.Limit).InclusiveBetween(1, 100);
        RuleFor(x => x.Type).IsInEnum();
        RuleFor(x => x.Provider).MaximumLength(50);
        RuleFor(x => x.Model).MaximumLength(100);
        RuleFor(x => x.Tag).MaximumLength(50);
    }
}

/// <summary>GET /api/generations: the gallery, newest first, filtered, a page at a time; deleted items left out.</summary>
public sealed class ListGenerationsEndpoint(IQuerySession session, IFileStore files, IOptions<GenerationOptions> options, TimeProvider clock)
    : Endpoint<ListGenerationsRequest, GenerationsPage>
{
    public override void Configure()
    {
        Get("/generations");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("ListGenerations").WithSummary("The gallery, newest first (cursor pagination)").WithTags("Generations"));
    }

    public override async Task HandleAsync(ListGenerationsRequest req, CancellationToken ct)
    {
        var query = session.Query<Generation>().Where(g => g.DeletedAt == null);
        if (req.Type is { } type) query = query.Where(g => g.Type == type);
        if (req.Provider is { } provider) query = query.Where(g => g.Provider == provider);
        if (req.Model is { } model) query = query.Where(g => g.Model == model);
        if (req.Tag is { } tag) query = query.Where(g => g.Tags.Contains(tag));
        if (req.Favorite is { } favorite) query = query.Where(g => g.IsFavorite == favorite);
        if (req.ProjectId is { } project) query = query.Where(g => g.ProjectId == project);
        if (req.CreatedFrom is { } from) query = query.Where(g => g.CreatedAt >= from);
        if (req.CreatedTo is { } to) query = query.Where(g => g.CreatedAt < to);
        if (req.Cursor is { } cursor) query = query.Where(g => g.MatchesSql("d.id < ?", cursor)); // ids are time-ordered

        var rows = await query.OrderByDescending(g => g.Id).Take(req.Limit + 1).ToListAsync(ct);
        var expires = clock.GetUtcNow() + options.Value.FileUrlLifetime;
        var page = rows.Take(req.Limit).Select(g => GenerationView.Of(g, files, expires)).ToList();
        await Send.OkAsync(new GenerationsPage(page, rows.Count > req.Limit ? page[^1].Id : null), ct);
    }
}
