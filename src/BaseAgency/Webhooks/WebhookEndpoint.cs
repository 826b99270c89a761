using System.Reflection;
using BaseAgency.Events;
using BaseAgency.Organizations;
using BaseAgency.Providers.Keys;

namespace BaseAgency.Webhooks;

/// <summary>
/// Where an organization wants to hear about its events. The signing secret is sealed at rest; during a rotation's overlap the
/// previous one still signs (until <see cref="PreviousSecretUntil"/>).
/// </summary>
public sealed record WebhookEndpoint(
    Guid Id,
    Guid OrganizationId,
    string Url,
    IReadOnlyList<string> Events,
    string? Description,
    SealedSecret Secret,
    DateTimeOffset CreatedAt,
    Guid CreatedBy) : IOrganizationOwned
{
    public bool Enabled { get; init; } = true;
    public int ConsecutiveFailures { get; init; }
    public string? DisabledReason { get; init; }
    public DateTimeOffset? DisabledAt { get; init; }
    public SealedSecret? PreviousSecret { get; init; }
    public DateTimeOffset? PreviousSecretUntil { get; init; }

    /// <summary>Binds a sealed secret to its endpoint: copied onto another row, it will not open.</summary>
    public static string AssociatedData(Guid organizationId, Guid endpointId) => $"webhook-secret:{organizationId:N}:{endpointId:N}";

    public string AssociatedData() => AssociatedData(OrganizationId, Id);
}

public sealed record WebhookEndpointView(Guid Id, string Url, IReadOnlyList<string> Events, string? Description, bool Enabled,
    int ConsecutiveFailures, string? DisabledReason, DateTimeOffset? DisabledAt, DateTimeOffset CreatedAt)
{
    public static WebhookEndpointView Of(WebhookEndpoint e) =>
        new(e.Id, e.Url, e.Events, e.Description, e.Enabled, e.ConsecutiveFailures, e.DisabledReason, e.DisabledAt, e.CreatedAt);
}

/// <summary>The events an endpoint can subscribe to: the organization's catalogue and the webhooks' own.</summary>
public static class WebhookEvents
{
    /// <summary>Sent by <c>POST /api/webhooks/{id}/test</c> to that endpoint only.</summary>
    public const string Test = "webhook.test";

    /// <summary>An endpoint was switched off (a 410, or too many failures in a row): how its admins are told until there is e-mail.</summary>
    public const string Disabled = "webhook.disabled";

    public static readonly IReadOnlySet<string> Subscribable = typeof(EventTypes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .Append(Disabled)
        .ToHashSet();

    public static string Unknown(string type) => $"Unknown event type '{type}'; one of: {string.Join(", ", Subscribable.Order())}.";
}
