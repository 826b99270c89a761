using BaseAgency.Http;
using BaseAgency.Plans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Webhooks;

/// <summary>Who may point webhooks where: the plan must include them, and the URL must have a shape deliveries may use.</summary>
public static class WebhookRules
{
    /// <summary>Null when an endpoint may be added, or changed to <paramref name="url"/>.</summary>
    public static ProblemHttpResult? Refusal(Plan plan, string? url, bool requireHttps)
    {
        if (PlanRefusal(plan) is { } refused) return refused;
        if (url is not null && WebhookNetwork.UrlProblem(url, requireHttps) is { } problem)
            return Problems.Of(422, "webhook_url_invalid", "The webhook URL cannot be used.", problem);
        return null;
    }

    /// <summary>Null when the plan includes webhooks. Switching an endpoint off or deleting it needs no plan: a downgraded organization can still tidy up.</summary>
    public static ProblemHttpResult? PlanRefusal(Plan plan) => plan.Features.Webhooks
        ? null
        : Problems.Forbidden("plan_feature_unavailable", $"The {plan.Name} plan does not include webhooks.",
            "Upgrade the plan (POST /api/subscription) to use webhooks.", ("plan", plan.Id));

    public static ProblemHttpResult Disabled() =>
        Problems.Conflict("webhook_disabled", "The webhook is disabled.", "Enable it (PATCH enabled: true) first.");
}
