using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.ReleaseStaleReservation;

/// <summary>Runs on its own app with a hand-moved clock.</summary>
[Collection(ClockedAppCollection.Name)]
public sealed class ReleaseStaleReservationTests(ClockedAppFixture app)
{
    [Fact]
    public async Task A_reservation_nobody_closes_is_released_by_its_timeout()
    {
        var org = (await app.Host.SignUpAsync()).Organization.Id;
        var reserved = await app.Host.ReserveAsync(org, 30, "forgotten-job");

        // Woken too early (the clock has not moved): nothing changes.
        await app.Host.InvokeForAsync(org, new BaseAgency.Ledger.ReleaseStaleReservation(org, reserved.Reservation!.Id));
        (await app.Host.AccountAsync(org)).Reserved.ShouldBe(30);

        app.Clock.Advance(TimeSpan.FromMinutes(31));
        await app.Host.InvokeForAsync(org, new BaseAgency.Ledger.ReleaseStaleReservation(org, reserved.Reservation.Id));
        var account = await app.Host.AccountAsync(org);
        account.Reserved.ShouldBe(0);
        account.Available.ShouldBe(50);
    }
}
