using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Generations;
using BaseAgency.Ledger;
using BaseAgency.Organizations;
using BaseAgency.Providers;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Deadline = BaseAgency.Generations.Deadlines;

namespace BaseAgency.Tests.Features.Deadlines;

/// <summary>Cancel-After on submission: the header's grammar and bounds, the deadline's decision, and the deadline end to end.</summary>
[Collection(AppCollection.Name)]
public sealed class CancelAfterTests(AppFixture app)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("1h2m3s", 3723)]
    [InlineData("90", 90)]
    [InlineData(" 2m ", 120)]
    [InlineData("24h", 86400)]
    public void Durations_are_read_as_Replicate_writes_them(string value, int seconds) =>
        Deadline.Parse(value).ShouldBe(TimeSpan.FromSeconds(seconds));

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("1.5s")]
    [InlineData("-5s")]
    [InlineData("5 m")]
    [InlineData("30m1h")]
    [InlineData("1d")]
    [InlineData("99999999999h")]
    [InlineData("999999999999999999999")]
    public void Anything_else_is_not_a_duration(string value) => Deadline.Parse(value).ShouldBeNull();

    [Theory]
    [InlineData("0s")]
    [InlineData("0")]
    [InlineData("24h1s")]
    [InlineData("25h")]
    [InlineData("soon")]
    public void A_header_outside_one_second_to_a_day_is_a_bad_request(string value)
    {
        var problem = Deadline.CancelAfterOf(new HeaderDictionary { ["Cancel-After"] = value }).Problem!;
        problem.StatusCode.ShouldBe(400);
        problem.ProblemDetails.Extensions["code"].ShouldBe("invalid_cancel_after");
    }

    [Fact]
    public void Two_values_are_a_bad_request_and_none_is_no_deadline()
    {
        Deadline.CancelAfterOf(new HeaderDictionary { ["Cancel-After"] = new(["1m", "2m"]) }).Problem.ShouldNotBeNull();
        var none = Deadline.CancelAfterOf(new HeaderDictionary());
        none.Problem.ShouldBeNull();
        none.Value.ShouldBeNull();
    }

    [Fact]
    public async Task An_idempotency_key_replays_only_the_same_deadline()
    {
        var customer = await app.Host.SignUpAsync();
        var body = new { prompt = "a keyed deadline", width = 512, height = 512 };
        async Task<IScenarioResult> SubmitAsync(string? cancelAfter, int status) => await app.Host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl("/api/generations/image");
            s.As(customer.Tokens.AccessToken);
            s.WithRequestHeader("Idempotency-Key", "deadline-key-1");
            if (cancelAfter is not null) s.WithRequestHeader("Cancel-After", cancelAfter);
            s.StatusCodeShouldBe(status);
        });

        var first = (await (await SubmitAsync("10m", 202)).JsonAsync()).IdOf();
        (await (await SubmitAsync("10m", 202)).JsonAsync()).IdOf().ShouldBe(first);
        await (await SubmitAsync("1m", 422)).ProblemAsync(422, "idempotency_key_reused");
        await (await SubmitAsync(null, 422)).ProblemAsync(422, "idempotency_key_reused");
    }

    [Fact]
    public void The_reservation_outlives_the_deadline_by_the_grace()
    {
        var options = new GenerationOptions();
        Deadline.ReservationFor(TimeSpan.FromMinutes(2), options).ShouldBe(TimeSpan.FromMinutes(2) + options.DeadlineGrace);
        Deadline.ReservationFor(TimeSpan.FromHours(24), options).ShouldBe(TimeSpan.FromHours(24) + options.DeadlineGrace);
        Deadline.ReservationFor(null, options).ShouldBe(options.ReservationTimeout);
    }

    private static GenerationJob Job(JobStatus status, DateTimeOffset? deadline) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), GenerationType.Image, "local", "local-image", new JobInput("x"), status, false, 9,
            Guid.NewGuid(), Now.AddMinutes(-1), DeadlineAt: deadline);

    [Theory]
    [InlineData(JobStatus.Completed, 0, Deadline.Step.Nothing)]
    [InlineData(JobStatus.Failed, 0, Deadline.Step.Nothing)]
    [InlineData(JobStatus.Canceled, 0, Deadline.Step.Nothing)]
    [InlineData(JobStatus.Processing, 1, Deadline.Step.WaitUntilDeadline)] // early (another node's clock)
    [InlineData(JobStatus.Processing, 0, Deadline.Step.Cancel)]
    [InlineData(JobStatus.Queued, -1, Deadline.Step.Cancel)]
    public void At_the_deadline_only_an_unfinished_job_is_canceled(JobStatus status, int deadlineInSeconds, Deadline.Step step) =>
        Deadline.Next(Job(status, Now.AddSeconds(deadlineInSeconds)), Now).ShouldBe(step);

    [Fact]
    public void A_job_without_a_deadline_or_gone_is_left_alone()
    {
        Deadline.Next(Job(JobStatus.Processing, null), Now).ShouldBe(Deadline.Step.Nothing);
        Deadline.Next(null, Now).ShouldBe(Deadline.Step.Nothing);
    }

    [Theory]
    [InlineData(JobStatus.Pending, 0, CreditReason.CanceledBeforeStart)]
    [InlineData(JobStatus.Queued, 0, CreditReason.CanceledBeforeStart)]
    [InlineData(JobStatus.Processing, 4, CreditReason.CanceledAfterStart)] // half of 9, rounded down
    public void A_job_past_its_deadline_is_charged_as_a_customer_cancel_would_be(JobStatus status, int charged, CreditReason reason)
    {
        var canceled = Deadline.Canceled(Job(status, Now), 0.5m, Now);
        canceled.Status.ShouldBe(JobStatus.Canceled);
        canceled.ErrorCode.ShouldBe("deadline_exceeded");
        canceled.CreditsUsed.ShouldBe(charged);
        canceled.CreditReasonCode.ShouldBe(reason);
        canceled.CompletedAt.ShouldBe(Now);
    }

    [Fact]
    public async Task A_job_the_provider_still_works_on_at_its_deadline_is_canceled_and_the_provider_call_stopped()
    {
        await app.Host.UseScriptedProviderAsync();
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var submitted = await (await app.Host.SubmitImageAsync(token,
            new { prompt = "wait for me", provider = "scripted", model = "scripted-image", width = 512, height = 512 }, "Cancel-After", "1s", 202)).JsonAsync();
        var deadline = submitted["deadlineAt"]!.GetValue<DateTimeOffset>();
        (deadline - submitted["createdAt"]!.GetValue<DateTimeOffset>()).ShouldBe(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1));

        var job = await app.Host.WaitForJobAsync(token, submitted.IdOf());
        job["status"]!.GetValue<string>().ShouldBe("canceled");
        job["errorCode"]!.GetValue<string>().ShouldBe("deadline_exceeded");
        job["creditReasonCode"]!.GetValue<string>().ShouldBe("canceled_after_start");
        job["creditsUsed"]!.GetValue<int>().ShouldBe(1); // Generation:CancelAfterStartCharge 0.5 of the 2 reserved
        job["completedAt"]!.GetValue<DateTimeOffset>().ShouldBeGreaterThanOrEqualTo(deadline);
        (await app.Host.AvailableAsync(token)).ShouldBe(49);
        // The worker stops waiting for the provider at the deadline, as on a customer's cancel.
        await app.Host.Services.GetRequiredService<ScriptedProvider>().StoppedByRunner(submitted.IdOf()).WaitAsync(TimeSpan.FromSeconds(10));

        var lines = await app.Host.StatementOfJobAsync(token, submitted.IdOf());
        lines.Select(l => (l["type"]!.GetValue<string>(), l["amount"]!.GetValue<int>(), l["reasonCode"]?.GetValue<string>()))
            .ShouldBe([("hold", 0, null), ("usage", -1, "canceled_after_start")]);
    }

    [Fact]
    public async Task A_job_waiting_for_its_retry_at_its_deadline_is_canceled_for_nothing()
    {
        await app.Host.UseScriptedProviderAsync();
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        // Its first attempt fails and it waits 15 s in the queue for the next: the provider is not working on it at the deadline.
        var submitted = await (await app.Host.SubmitImageAsync(token,
            new { prompt = "retry later", provider = "scripted", model = "scripted-image", width = 512, height = 512 }, "Cancel-After", "2s", 202)).JsonAsync();

        var job = await app.Host.WaitForJobAsync(token, submitted.IdOf());
        job["status"]!.GetValue<string>().ShouldBe("canceled");
        job["errorCode"]!.GetValue<string>().ShouldBe("deadline_exceeded");
        job["creditReasonCode"]!.GetValue<string>().ShouldBe("canceled_before_start");
        job["creditsUsed"]!.GetValue<int>().ShouldBe(0);
        (await app.Host.AvailableAsync(token)).ShouldBe(50);
    }

    [Fact]
    public async Task A_job_finished_before_its_deadline_is_untouched_by_it_and_holds_its_credits_until_the_deadline_only()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var submitted = await (await app.Host.SubmitImageAsync(token, new { prompt = "a quick one", width = 512, height = 512 }, "Cancel-After", "1h", 202)).JsonAsync();
        var deadline = submitted["deadlineAt"]!.GetValue<DateTimeOffset>();
        await using (var session = app.Host.Services.GetRequiredService<IDocumentStore>().QuerySession(Tenancy.TenantOf(customer.Organization.Id)))
        {
            var reservation = await session.LoadAsync<CreditReservation>(CreditLedger.ReservationIdFor($"job:{submitted.IdOf()}"));
            reservation!.ExpiresAt.ShouldBe(deadline + new GenerationOptions().DeadlineGrace, TimeSpan.FromSeconds(1));
        }
        var completed = await app.Host.WaitForJobAsync(token, submitted.IdOf());
        completed["status"]!.GetValue<string>().ShouldBe("completed");
        var available = await app.Host.AvailableAsync(token);

        // The scheduled message, delivered now as it would be in an hour, finds the job finished.
        await app.Host.Services.GetRequiredService<IMessageBus>().InvokeForTenantAsync(Tenancy.TenantOf(customer.Organization.Id),
            new EnforceDeadline(customer.Organization.Id, submitted.IdOf()));
        var after = await app.Host.GetAsJson<JsonObject>($"/api/jobs/{submitted.IdOf()}", token);
        after["status"]!.GetValue<string>().ShouldBe("completed");
        after["creditsUsed"]!.GetValue<int>().ShouldBe(completed["creditsUsed"]!.GetValue<int>());
        (await app.Host.AvailableAsync(token)).ShouldBe(available);
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("25h")]
    [InlineData("tomorrow")]
    public async Task A_bad_Cancel_After_is_refused_and_reserves_nothing(string value)
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        await (await app.Host.SubmitImageAsync(token, new { prompt = "x" }, "Cancel-After", value, 400)).ProblemAsync(400, "invalid_cancel_after");
        (await app.Host.AvailableAsync(token)).ShouldBe(50);
        (await app.Host.GetAsJson<JsonObject>("/api/jobs", token))["items"]!.AsArray().ShouldBeEmpty();
    }
}
