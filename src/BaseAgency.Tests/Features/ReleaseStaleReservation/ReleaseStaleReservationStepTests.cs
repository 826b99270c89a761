using BaseAgency.Features.ReleaseStaleReservation;
using BaseAgency.Ledger;

namespace BaseAgency.Tests.Features.ReleaseStaleReservation;

/// <summary>What a reservation's timeout does when it fires.</summary>
public sealed class ReleaseStaleReservationStepTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static CreditReservation Reservation(ReservationStatus status, DateTimeOffset expiresAt) =>
        new(Guid.NewGuid(), "job-1", 10, status, Now.AddMinutes(-30), expiresAt);

    [Fact]
    public void A_reservation_that_is_gone_or_closed_is_left_alone()
    {
        ReleaseStaleReservationHandler.Next(null, Now).ShouldBe(StaleReservationStep.Nothing);
        ReleaseStaleReservationHandler.Next(Reservation(ReservationStatus.Captured, Now.AddMinutes(-1)), Now).ShouldBe(StaleReservationStep.Nothing);
        ReleaseStaleReservationHandler.Next(Reservation(ReservationStatus.Released, Now.AddMinutes(-1)), Now).ShouldBe(StaleReservationStep.Nothing);
    }

    [Fact]
    public void A_timeout_that_fires_early_waits_until_the_expiry() =>
        ReleaseStaleReservationHandler.Next(Reservation(ReservationStatus.Open, Now.AddSeconds(1)), Now).ShouldBe(StaleReservationStep.WaitUntilExpiry);

    [Fact]
    public void An_open_reservation_past_its_expiry_is_released()
    {
        ReleaseStaleReservationHandler.Next(Reservation(ReservationStatus.Open, Now), Now).ShouldBe(StaleReservationStep.Release);
        ReleaseStaleReservationHandler.Next(Reservation(ReservationStatus.Open, Now.AddMinutes(-1)), Now).ShouldBe(StaleReservationStep.Release);
    }
}
