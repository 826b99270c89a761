using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Ledger;
using BaseAgency.Tests.Support;
using Npgsql;

namespace BaseAgency.Tests.Features.Credits;

[Collection(AppCollection.Name)]
public sealed class LedgerTests(AppFixture app)
{
    [Fact]
    public async Task A_new_organization_gets_the_free_plans_credits_until_the_period_ends()
    {
        var org = await app.Host.SignUpAsync();
        var balance = await app.Host.GetAsJson<JsonObject>("/api/credits/balance", org.Tokens.AccessToken);

        balance["available"]!.GetValue<int>().ShouldBe(50);
        balance["byBucket"]!["plan"]!.GetValue<int>().ShouldBe(50);
        balance["buckets"]![0]!["expiresAt"]!.GetValue<DateTimeOffset>().ShouldBe(balance["periodEnd"]!.GetValue<DateTimeOffset>());

        var statement = await app.Host.GetAsJson<JsonObject>("/api/credits/transactions", org.Tokens.AccessToken);
        var line = statement["items"]!.AsArray().Single()!;
        line["type"]!.GetValue<string>().ShouldBe("subscription");
        line["amount"]!.GetValue<int>().ShouldBe(50);
        line["balanceAfter"]!.GetValue<int>().ShouldBe(50);
    }

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

    [Fact]
    public async Task The_ledger_verifies_against_a_replay_after_mixed_movements()
    {
        var signedUp = await app.Host.SignUpAsync();
        var org = signedUp.Organization.Id;
        await app.Host.PurchaseAsync(org, Guid.NewGuid(), 30);
        var a = await app.Host.ReserveAsync(org, 25, "v-1");
        var b = await app.Host.ReserveAsync(org, 40, "v-2");
        await app.Host.CaptureAsync(org, a.Reservation!.Id, 20);
        await app.Host.ReleaseAsync(org, b.Reservation!.Id);
        await app.Host.GrantAsync(org, 3, "bonus-v");

        var verify = await app.Host.GetAsJson<JsonObject>("/api/credits/ledger/verify", signedUp.Tokens.AccessToken);
        verify["consistent"]!.GetValue<bool>().ShouldBeTrue(verify.ToJsonString());
        verify["balance"]!.GetValue<int>().ShouldBe(50 + 30 - 20 + 3);
    }

    [Fact]
    public async Task Only_an_admin_can_verify_the_ledger()
    {
        var admin = await app.Host.SignUpAsync();
        await app.Host.SetPlanAsync(admin.Organization.Id, BaseAgency.Plans.PlanSlug.Starter);
        var viewer = await app.Host.AddMemberAsync(admin.Tokens.AccessToken, BaseAgency.Identity.Role.Viewer);
        await app.Host.GetAsJson<JsonObject>("/api/credits/ledger/verify", viewer.Tokens.AccessToken, 403);
        await app.Host.GetAsJson<JsonObject>("/api/credits/balance", viewer.Tokens.AccessToken);
    }

    [Fact]
    public async Task The_statement_pages_newest_first_and_filters_by_type()
    {
        var signedUp = await app.Host.SignUpAsync();
        var org = signedUp.Organization.Id;
        for (var i = 0; i < 5; i++) await app.Host.PurchaseAsync(org, Guid.NewGuid(), 10 + i);
        var reserved = await app.Host.ReserveAsync(org, 4, "page-job");
        await app.Host.CaptureAsync(org, reserved.Reservation!.Id, 4);

        var token = signedUp.Tokens.AccessToken;
        var first = await app.Host.GetAsJson<JsonObject>("/api/credits/transactions?limit=3", token);
        first["items"]!.AsArray().Select(i => i!["type"]!.GetValue<string>()).ShouldBe(["usage", "purchase", "purchase"]);
        first["items"]![0]!["amount"]!.GetValue<int>().ShouldBe(-4);
        var cursor = first["nextCursor"]!.GetValue<Guid>();

        var second = await app.Host.GetAsJson<JsonObject>($"/api/credits/transactions?limit=3&cursor={cursor}", token);
        second["items"]!.AsArray().Select(i => i!["amount"]!.GetValue<int>()).ShouldBe([12, 11, 10]);
        var third = await app.Host.GetAsJson<JsonObject>($"/api/credits/transactions?limit=3&cursor={second["nextCursor"]!.GetValue<Guid>()}", token);
        third["items"]!.AsArray().Single()!["type"]!.GetValue<string>().ShouldBe("subscription");
        third["nextCursor"].ShouldBeNull();

        var purchases = await app.Host.GetAsJson<JsonObject>("/api/credits/transactions?type=purchase", token);
        purchases["items"]!.AsArray().Count.ShouldBe(5);
    }

    [Fact]
    public async Task Another_organizations_ledger_is_invisible()
    {
        var ours = await app.Host.SignUpAsync();
        var theirs = await app.Host.SignUpAsync();
        await app.Host.PurchaseAsync(theirs.Organization.Id, Guid.NewGuid(), 500);

        var balance = await app.Host.GetAsJson<JsonObject>("/api/credits/balance", ours.Tokens.AccessToken);
        balance["available"]!.GetValue<int>().ShouldBe(50);
        var statement = await app.Host.GetAsJson<JsonObject>("/api/credits/transactions", ours.Tokens.AccessToken);
        statement["items"]!.AsArray().Count.ShouldBe(1);
    }
}
