using BaseAgency.Identity;
using FastEndpoints;
using Wolverine;

namespace BaseAgency.Features.ListJobs;

/// <summary>The organization's jobs, newest first, filtered, a page at a time.</summary>
public sealed class ListJobsEndpoint(IMessageBus bus) : Endpoint<ListJobsRequest, JobsPage>
{
    public override void Configure()
    {
        Get("/jobs");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("ListJobs").WithSummary("Generation jobs, newest first (cursor pagination)").WithTags("Jobs"));
    }

    public override async Task<JobsPage> ExecuteAsync(ListJobsRequest req, CancellationToken ct) =>
        await bus.InvokeForTenantAsync<JobsPage>(User.Required().Tenant,
            new ListJobs(req.Status, req.Type, req.Provider, req.CreatedFrom, req.CreatedTo, req.Cursor, req.Limit), ct);
}
