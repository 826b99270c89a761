using BaseAgency.Ledger;
using Marten;
using Wolverine;

namespace BaseAgency.Features.ReleaseStaleReservation;

public enum StaleReservationStep { Nothing, WaitUntilExpiry, Release }

/// <summary>The durable timeout that keeps credits from being stuck in a reservation nobody closed.</summary>
public static class ReleaseStaleReservationHandler
{
    public static async Task Handle(Ledger.ReleaseStaleReservation message, IDocumentSession session, IMessageContext bus,
        CreditLedger ledger, TimeProvider clock, CancellationToken ct)
    {
        var reservation = await session.LoadAsync<CreditReservation>(message.ReservationId, ct);
        switch (Next(reservation, clock.GetUtcNow()))
        {
            case StaleReservationStep.WaitUntilExpiry:
                await bus.ScheduleAsync(message, reservation!.ExpiresAt, new DeliveryOptions { TenantId = session.TenantId });
                break;
            case StaleReservationStep.Release:
                await ledger.ReleaseAsync(session, message.OrganizationId, message.ReservationId, CreditReason.ReservationTimeout, ct);
                break;
        }
    }

    /// <summary>
    /// A closed reservation is left alone. A timer that fires before the expiry (another node's clock, a
    /// redelivery) waits again rather than take credits back from work that may still finish in time.
    /// </summary>
    public static StaleReservationStep Next(CreditReservation? reservation, DateTimeOffset now) => reservation switch
    {
        not { Status: ReservationStatus.Open } => StaleReservationStep.Nothing,
        _ when reservation.ExpiresAt > now => StaleReservationStep.WaitUntilExpiry,
        _ => StaleReservationStep.Release,
    };
}
