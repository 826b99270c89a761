using BaseAgency.Platform;
using BaseAgency.Events;
using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Plans;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Wolverine;

namespace BaseAgency.Features.CreateApiKey;

public static class CreateApiKeyHandler
{
    /// <summary>Null when the key may be made.</summary>
    public static ProblemHttpResult? Refusal(Plan plan, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        if (!plan.Features.ApiAccess)
            return Problems.Forbidden("plan_feature_unavailable", $"The {plan.Name} plan does not include API access.",
                "Upgrade the plan (POST /api/subscription) to use API keys.", ("plan", plan.Id));
        if (expiresAt <= now)
            return Problems.Of(422, "expiry_in_the_past", "The key would already be expired.", "Give an expiresAt in the future, or none.");
        return null;
    }

    public static async Task<Outcome<CreatedApiKey>> Handle(CreateApiKey command, IDocumentSession session, IOptions<ApiKeyOptions> options,
        IMessageContext bus, TimeProvider clock, CancellationToken ct)
    {
        var (_, plan) = await session.CurrentPlanAsync(command.OrganizationId, ct);
        var now = clock.GetUtcNow();
        var req = command.Request;
        if (Refusal(plan, req.ExpiresAt, now) is { } problem) return problem;

        var secret = ApiKey.NewSecret();
        var key = new ApiKey(Guid.CreateVersion7(now), command.OrganizationId, req.Name.Trim(), req.Scopes, command.UserId, now,
            ApiKey.PrefixOf(secret), ApiKey.HashOf(secret, options.Value.PepperBytes()), req.ExpiresAt, req.AllowedTypes,
            req.AllowedModels?.Select(m => m.Trim()).ToList(), req.Limits);
        session.Insert(key);
        session.Insert(AuditEntry.Changed(command.UserId, command.OrganizationId, "api_key.created", "api_keys", key.Id.ToString(), now,
            ("name", null, key.Name), ("prefix", null, key.Prefix), ("scopes", null, string.Join(" ", key.Scopes.Select(Json.NameOf)))));
        await OrganizationEvents.RecordAsync(session, bus, command.OrganizationId, EventTypes.ApiKeyCreated, ApiKeyEventView.Of(key), now);
        return new CreatedApiKey(ApiKeyView.Of(key), secret);
    }
}
