using BaseAgency.Ledger;
using BaseAgency.Tests.Support;
using Npgsql;

namespace BaseAgency.Tests.Ledger;

/// <summary>The ledger on a real database: one movement at a time per organization, each idempotent on its reference.</summary>
[Collection(AppCollection.Name)]
public sealed class CreditLedgerTests(AppFixture app)
{
    [Fact]
    public async Task Two_hundred_concurrent_reservations_never_overspend()
    {
        var org = (await app.Host.SignUpAsync()).Organization.Id; // 50 credits

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => app.Host.ReserveAsync(org, 1, $"race-{i}")));

        results.Count(r => r.Rejection is null).ShouldBe(50);
        var refused = results.Where(r => r.Rejection is not null).Select(r => r.Rejection).ToList();
        refused.Count.ShouldBe(150);
        refused.ShouldAllBe(r => r is InsufficientCredits && ((InsufficientCredits)r).Required == 1 && ((InsufficientCredits)r).Available == 0);

        var account = await app.Host.AccountAsync(org);
        account.Available.ShouldBe(0);
        account.Reserved.ShouldBe(50);
        account.Balance.ShouldBe(50);
    }

    [Fact]
    public async Task Every_ledger_operation_is_idempotent_on_its_reference()
    {
        var org = (await app.Host.SignUpAsync()).Organization.Id;

        var first = await app.Host.ReserveAsync(org, 10, "job-1");
        var again = await app.Host.ReserveAsync(org, 10, "job-1");
        again.Reservation!.Id.ShouldBe(first.Reservation!.Id);
        (await app.Host.AccountAsync(org)).Available.ShouldBe(40);

        (await app.Host.CaptureAsync(org, first.Reservation.Id, 7)).Rejection.ShouldBeNull();
        (await app.Host.CaptureAsync(org, first.Reservation.Id, 7)).Reservation!.CapturedAmount.ShouldBe(7);
        (await app.Host.ReleaseAsync(org, first.Reservation.Id)).Rejection.ShouldBeOfType<ReservationClosed>();
        (await app.Host.AccountAsync(org)).Available.ShouldBe(43);

        var purchase = Guid.NewGuid();
        await app.Host.PurchaseAsync(org, purchase, 100);
        await app.Host.PurchaseAsync(org, purchase, 100);
        await app.Host.GrantAsync(org, 5, "welcome");
        await app.Host.GrantAsync(org, 5, "welcome");

        var account = await app.Host.AccountAsync(org);
        account.Available.ShouldBe(148);
        account.LifetimePurchased.ShouldBe(100);
        account.LifetimeUsed.ShouldBe(7);
    }

    [Fact]
    public async Task A_released_reservation_gives_everything_back_once()
    {
        var org = (await app.Host.SignUpAsync()).Organization.Id;
        var reserved = await app.Host.ReserveAsync(org, 20, "job-cancel");
        (await app.Host.ReleaseAsync(org, reserved.Reservation!.Id)).Reservation!.Status.ShouldBe(ReservationStatus.Released);
        (await app.Host.ReleaseAsync(org, reserved.Reservation.Id)).Rejection.ShouldBeNull();
        (await app.Host.CaptureAsync(org, reserved.Reservation.Id, 5)).Rejection.ShouldBeOfType<ReservationClosed>();

        var account = await app.Host.AccountAsync(org);
        account.Available.ShouldBe(50);
        account.LifetimeUsed.ShouldBe(0);
    }

    [Fact]
    public async Task Each_reservation_schedules_its_durable_timeout()
    {
        var org = (await app.Host.SignUpAsync()).Organization.Id;
        var before = await ScheduledTimeouts();
        await app.Host.ReserveAsync(org, 1, "job-timeout");
        await app.Host.ReserveAsync(org, 1, "job-timeout"); // the same reservation again: no second timeout
        (await ScheduledTimeouts()).ShouldBe(before + 1);
    }

    private async Task<long> ScheduledTimeouts()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select count(*) from agency.wolverine_incoming_envelopes where status = 'Scheduled' and message_type ilike '%ReleaseStaleReservation%'",
            connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
