using BaseAgency.Organizations;
using Marten;
using Wolverine;

namespace BaseAgency.Billing;

/// <summary>
/// An organization's standing order to buy a credit pack when its available credits fall below a threshold
/// (one per organization, id = organization id). Its version is checked on every write, so of many captures
/// that find credits low at once, one claims the top-up by storing <see cref="LastAttempt"/>.
/// </summary>
/// <param name="UpdatedBy">The admin who set it: the purchases it makes are bought on their instruction.</param>
public sealed record AutoTopUp(
    Guid Id,
    bool Enabled,
    int ThresholdCredits,
    string PackId,
    Guid UpdatedBy,
    DateTimeOffset UpdatedAt,
    TopUpAttempt? LastAttempt = null) : IOrganizationOwned
{
    public const int MaxThresholdCredits = 1_000_000;

    /// <summary>
    /// True when a top-up is due: enabled, credits below the threshold, and no attempt (whatever became of it)
    /// within <paramref name="minInterval"/>, so a declined card is not charged again on every capture.
    /// </summary>
    public bool IsDue(int available, DateTimeOffset now, TimeSpan minInterval) =>
        Enabled && available < ThresholdCredits && (LastAttempt is not { } last || now - last.At >= minInterval);
}

/// <summary>One top-up: when it was claimed, the purchase it opened, and why it failed when it did.</summary>
/// <param name="PurchaseId">Null when no purchase could be opened (the pack is no longer on sale).</param>
public sealed record TopUpAttempt(DateTimeOffset At, Guid? PurchaseId, string? FailureCode = null, string? FailureMessage = null);

/// <summary>Sent when a job's credits are captured: buys the organization's top-up pack if it is due.</summary>
public sealed record TopUpIfLow(Guid OrganizationId);

public enum TopUpResult { Pending, Succeeded, Failed, Expired }

public sealed record TopUpAttemptView(DateTimeOffset At, TopUpResult Result, Guid? PurchaseId, string? FailureCode, string? FailureMessage);

/// <summary>The auto top-up as the organization sees it (on its own and on the balance).</summary>
public sealed record AutoTopUpView(bool Enabled, int? ThresholdCredits, string? PackId, TopUpAttemptView? LastAttempt)
{
    /// <summary>The last attempt's result is its purchase's state, which the payment provider may settle long after the attempt.</summary>
    public static AutoTopUpView Of(AutoTopUp? settings, Purchase? lastPurchase)
    {
        if (settings is null) return new(false, null, null, null);
        if (settings.LastAttempt is not { } attempt) return new(settings.Enabled, settings.ThresholdCredits, settings.PackId, null);
        // Money received wins over a failure seen earlier (a charge that timed out here but went through).
        var result = lastPurchase?.Status == PurchaseStatus.Paid ? TopUpResult.Succeeded
            : attempt.FailureCode is not null ? TopUpResult.Failed
            : lastPurchase?.Status switch
            {
                PurchaseStatus.Failed => TopUpResult.Failed,
                PurchaseStatus.Expired => TopUpResult.Expired,
                _ => TopUpResult.Pending,
            };
        var failed = result == TopUpResult.Failed;
        return new(settings.Enabled, settings.ThresholdCredits, settings.PackId, new(attempt.At, result, attempt.PurchaseId,
            failed ? attempt.FailureCode ?? "payment_failed" : null, failed ? attempt.FailureMessage : null));
    }
}

public static class AutoTopUps
{
    public static async Task<AutoTopUpView> AutoTopUpViewAsync(this IQuerySession session, Guid organizationId, CancellationToken ct) =>
        await session.AutoTopUpViewAsync(await session.LoadAsync<AutoTopUp>(organizationId, ct), ct);

    public static async Task<AutoTopUpView> AutoTopUpViewAsync(this IQuerySession session, AutoTopUp? settings, CancellationToken ct) =>
        AutoTopUpView.Of(settings, settings?.LastAttempt?.PurchaseId is { } id ? await session.LoadAsync<Purchase>(id, ct) : null);

    /// <summary>Asks for a top-up check in the organization's tenant (sent once the sending handler is done).</summary>
    public static ValueTask TopUpIfLowAsync(this IMessageBus bus, Guid organizationId) =>
        bus.PublishAsync(new TopUpIfLow(organizationId), new DeliveryOptions { TenantId = Tenancy.TenantOf(organizationId) });
}
