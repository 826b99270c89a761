using System.Globalization;
using System.Text;
using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.ListUsage;

/// <summary>Usage over a range of days, grouped one way, as JSON or CSV.</summary>
public sealed class ListUsageEndpoint(IMessageBus bus) : Endpoint<ListUsageRequest, Results<Ok<UsageReport>, ContentHttpResult, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/usage");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("ListUsage").WithSummary("Usage by day, user, API key, provider, model or type (JSON or CSV)").WithTags("Usage")
            .Produces<string>(200, "text/csv").ProducesProblem(400));
    }

    public override async Task<Results<Ok<UsageReport>, ContentHttpResult, ProblemHttpResult>> ExecuteAsync(ListUsageRequest req, CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<UsageReport>>(caller.Tenant,
            new ListUsage(caller, req.From, req.To, ListUsageRequest.Groupings[req.GroupBy]), ct);
        if (outcome.Problem is { } problem) return problem;
        return req.Format == "csv" ? TypedResults.Text(Csv(outcome.Value!), "text/csv; charset=utf-8") : TypedResults.Ok(outcome.Value);
    }

    /// <summary>
    /// A header row and one line per group; cost columns only when the report has them. The group key is the one text a
    /// spreadsheet could take for a formula (a model's name): it is quoted, and prefixed with ' when it starts like one.
    /// </summary>
    public static string Csv(UsageReport report)
    {
        var costs = report.Rows.Any(r => r.CostUsd is not null);
        var csv = new StringBuilder();
        csv.Append(report.GroupBy).Append(",jobsSubmitted,jobsCompleted,jobsFailed,jobsCanceled,creditsUsed,tokens,units,apiRequests,apiErrors");
        csv.Append(costs ? ",costUsd,revenueUsd,marginUsd,marginPercent\r\n" : "\r\n");
        foreach (var r in report.Rows)
        {
            csv.Append(Cell(r.Key));
            foreach (var n in new[] { r.JobsSubmitted, r.JobsCompleted, r.JobsFailed, r.JobsCanceled, r.CreditsUsed, r.Tokens, r.Units, r.ApiRequests, r.ApiErrors })
                csv.Append(',').Append(n.ToString(CultureInfo.InvariantCulture));
            if (costs)
                foreach (var d in new[] { r.CostUsd, r.RevenueUsd, r.MarginUsd, r.MarginPercent })
                    csv.Append(',').Append(d?.ToString(CultureInfo.InvariantCulture));
            csv.Append("\r\n");
        }
        return csv.ToString();
    }

    public static string Cell(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (text[0] is '=' or '+' or '-' or '@' or '\t' or '\r') text = "'" + text;
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
    }
}
