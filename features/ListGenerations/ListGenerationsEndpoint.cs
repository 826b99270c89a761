using BaseAgency.Identity;
using FastEndpoints;
using Wolverine;

namespace BaseAgency.Features.ListGenerations;

/// <summary>The gallery, newest first, filtered, a page at a time; deleted items left out.</summary>
public sealed class ListGenerationsEndpoint(IMessageBus bus) : Endpoint<ListGenerationsRequest, GenerationsPage>
{
    public override void Configure()
    {
        Get("/generations");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("ListGenerations").WithSummary("The gallery, newest first (cursor pagination)").WithTags("Generations"));
    }

    public override async Task<GenerationsPage> ExecuteAsync(ListGenerationsRequest req, CancellationToken ct) =>
        await bus.InvokeForTenantAsync<GenerationsPage>(User.Required().Tenant,
            new ListGenerations(req.Type, req.Provider, req.Model, req.Tag, req.Favorite, req.ProjectId, req.CreatedFrom, req.CreatedTo,
                req.Cursor, req.Limit), ct);
}
