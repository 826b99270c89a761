using System.Text.Json;
using BaseAgency.Http;
using BaseAgency.Organizations;
using Marten;
using Wolverine;

namespace BaseAgency.Events;

/// <summary>The names of what customers can hear about (webhooks) and watch live (<c>GET /api/events</c>).</summary>
public static class EventTypes
{
    public const string GenerationCompleted = "generation.completed";
    public const string GenerationFailed = "generation.failed";
    public const string GenerationCanceled = "generation.canceled";
    public const string CreditsPurchased = "credits.purchased";
    public const string CreditsLow = "credits.low";
    public const string SubscriptionRenewed = "subscription.renewed";
    public const string SubscriptionPastDue = "subscription.past_due";
    public const string ApiKeyCreated = "api_key.created";
    public const string ApiKeyRevoked = "api_key.revoked";
    public const string MemberJoined = "member.joined";

    // Seen on the live stream only (the SPA's job list), never sent to webhooks.
    public const string JobUpdated = "job.updated";
    /// <summary>A running job's progress: announced by the node that runs it, not stored (see <see cref="OrganizationEvents.LiveChannel"/>).</summary>
    public const string JobProgress = "job.progress";
}

/// <summary>
/// One thing that happened in an organization, as its customers see it: the data is the API's own view of the
/// resource (never a secret), already in the API's JSON shape, so a webhook body and a live event read alike.
/// </summary>
public sealed record OrganizationEvent(Guid Id, Guid OrganizationId, string Type, DateTimeOffset At, JsonElement Data) : IOrganizationOwned;

/// <summary>Published through the outbox in the transaction of the change it reports; carries ids only.</summary>
public sealed record OrganizationEventRecorded(Guid OrganizationId, Guid EventId, string Type);

public static class OrganizationEvents
{
    /// <summary>Postgres channel on which a committed event is announced to every node (payload: organization id and event id).</summary>
    public const string Channel = "baseagency_events";

    /// <summary>Channel of events that are not stored (progress): the payload is the organization id and the event's JSON.</summary>
    public const string LiveChannel = "baseagency_live";

    private static readonly JsonSerializerOptions ApiJson = CreateApiJson();

    /// <summary>
    /// Records the event in the change's own transaction: stored, announced to every node when (and only if) it commits,
    /// and handed to Wolverine's outbox for the webhooks. <paramref name="outbox"/> must be enrolled with
    /// <paramref name="session"/> (a Wolverine handler's <c>IMessageContext</c>, or an <c>IMartenOutbox</c> enrolled by hand).
    /// </summary>
    public static async ValueTask<OrganizationEvent> RecordAsync(IDocumentSession session, IMessageBus outbox, Guid organizationId,
        string type, object data, DateTimeOffset at)
    {
        var recorded = RecordLive(session, organizationId, type, data, at);
        await outbox.PublishAsync(new OrganizationEventRecorded(organizationId, recorded.Id, type),
            new DeliveryOptions { TenantId = Tenancy.TenantOf(organizationId) });
        return recorded;
    }

    /// <summary>
    /// Records an event for the live stream only (<c>GET /api/events</c>): stored, numbered in commit order
    /// (<see cref="EventFeed"/>) and announced on commit, but handed to no webhook.
    /// </summary>
    public static OrganizationEvent RecordLive(IDocumentSession session, Guid organizationId, string type, object data, DateTimeOffset at)
    {
        var recorded = new OrganizationEvent(Guid.CreateVersion7(at), organizationId, type, at, ToJson(data));
        session.Insert(recorded);
        Notify.OnCommit(session, Channel, $"{organizationId}:{recorded.Id}");
        EventFeed.SequenceOnCommit(session, organizationId, recorded.Id, at);
        return recorded;
    }

    /// <summary>The data in the API's JSON shape.</summary>
    public static JsonElement ToJson(object data) => JsonSerializer.SerializeToElement(data, data.GetType(), ApiJson);

    private static JsonSerializerOptions CreateApiJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Json.Configure(options);
        return options;
    }
}
