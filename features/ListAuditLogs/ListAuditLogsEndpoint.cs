using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.ListAuditLogs;

/// <summary>The audit log, newest first: an admin reads their organization's, a platform operator any or all.</summary>
public sealed class ListAuditLogsEndpoint(IMessageBus bus) : Endpoint<ListAuditLogsRequest, Results<Ok<AuditLogPage>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/audit-logs");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("ListAuditLogs").WithSummary("Audit log, newest first (cursor pagination)").WithTags("Organization")
            .ProducesProblem(400).ProducesProblem(403));
    }

    public override async Task<Results<Ok<AuditLogPage>, ProblemHttpResult>> ExecuteAsync(ListAuditLogsRequest req, CancellationToken ct)
    {
        // The log is platform-wide, not a tenant's: the handler filters by organization itself.
        var outcome = await bus.InvokeAsync<Outcome<AuditLogPage>>(new ListAuditLogs(User.Required(), req.OrganizationId, req.UserId, req.Action,
            req.ResourceType, req.ResourceId, req.From, req.To, req.Cursor, req.Limit), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
