using BaseAgency.Platform;
using BaseAgency.Billing;
using BaseAgency.Http;
using JasperFx;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace BaseAgency.Features.SetAutoTopUp;

public static class SetAutoTopUpHandler
{
    /// <summary>A top-up was claimed meanwhile (the settings' version moved): set again, on top of that attempt.</summary>
    public static void Configure(HandlerChain chain) => chain.OnException<ConcurrencyException>().RetryTimes(3);

    public static async Task<Outcome<AutoTopUpView>> Handle(SetAutoTopUp command, IDocumentSession session, IOptions<BillingOptions> billing,
        TimeProvider clock, CancellationToken ct)
    {
        if (billing.Value.PackOnSale(command.PackId) is not { } pack)
            return CreditPack.NotOnSale(command.PackId);

        // The last attempt stays: turning auto top-up off and on again does not buy again within the interval.
        var current = await session.LoadAsync<AutoTopUp>(command.OrganizationId, ct);
        var settings = new AutoTopUp(command.OrganizationId, command.Enabled, command.ThresholdCredits, pack.Id, command.UserId,
            clock.GetUtcNow(), current?.LastAttempt);
        session.Store(settings);
        session.Insert(AuditEntry.Changed(command.UserId, command.OrganizationId, "auto_top_up.set", "auto_top_up", command.OrganizationId.ToString(),
            settings.UpdatedAt, ("enabled", current?.Enabled.ToString(), settings.Enabled.ToString()),
            ("thresholdCredits", current?.ThresholdCredits.ToString(), settings.ThresholdCredits.ToString()), ("packId", current?.PackId, settings.PackId)));
        return await session.AutoTopUpViewAsync(settings, ct);
    }
}
