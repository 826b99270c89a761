using BaseAgency.Events;
using BaseAgency.Organizations;
using Marten;
using Wolverine;

namespace BaseAgency.Webhooks;

/// <summary>
/// The organization's notification settings (id = the organization's id). <see cref="LowCreditsNotified"/> remembers that
/// <c>credits.low</c> was sent for the current dip, so it is sent once per crossing, not after every job.
/// </summary>
public sealed record NotificationSettings(Guid Id, int? LowCreditsThreshold, bool LowCreditsNotified = false) : IOrganizationOwned;

public static class LowCredits
{
    /// <summary>Whether to announce (true), re-arm (false) or leave the settings as they are (null), given what is available now.</summary>
    public static bool? Crossing(NotificationSettings? settings, int available) => settings switch
    {
        { LowCreditsThreshold: { } threshold, LowCreditsNotified: false } when available < threshold => true,
        { LowCreditsThreshold: { } threshold, LowCreditsNotified: true } when available >= threshold => false,
        _ => null,
    };

    /// <summary>After credits were spent, in the same transaction (the ledger lock is held, so two jobs never both announce).</summary>
    public static async Task CheckAsync(IDocumentSession session, IMessageBus outbox, Guid organizationId, int available, DateTimeOffset now,
        CancellationToken ct)
    {
        var settings = await session.LoadAsync<NotificationSettings>(organizationId, ct);
        if (Crossing(settings, available) is not { } low) return;
        session.Store(settings! with { LowCreditsNotified = low });
        if (low)
            await OrganizationEvents.RecordAsync(session, outbox, organizationId, EventTypes.CreditsLow,
                new { available, threshold = settings.LowCreditsThreshold }, now);
    }
}
