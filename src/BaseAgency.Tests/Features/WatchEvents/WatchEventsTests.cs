using System.Net;
using Alba;
using BaseAgency.Events;
using BaseAgency.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using BaseAgency.Tests.Events;
using BaseAgency.Tests.Features.CreateApiKey;

namespace BaseAgency.Tests.Features.WatchEvents;

[Collection(AppCollection.Name)]
public sealed class WatchEventsTests(AppFixture app)
{
    private static readonly object QuickImage = new { prompt = "a quick one", provider = "scripted", model = "scripted-image", width = 512, height = 512 };
    private static readonly object WaitForMe = new { prompt = "wait for me", provider = "scripted", model = "scripted-image", width = 512, height = 512 };

    [Fact]
    public async Task An_event_recorded_on_one_node_reaches_a_client_of_another()
    {
        await app.Host.UseScriptedProviderAsync();
        var token = (await app.Host.SignUpAsync()).Tokens.AccessToken;
        await using var other = await app.StartAnotherNodeAsync();
        await other.Services.GetRequiredService<EventHub>().Listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var stream = await EventStreamClient.OpenAsync(other, token);
        stream.Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        stream.Response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");

        var job = (await app.Host.SubmitJobAsync(token, "image", QuickImage)).IdOf();

        var events = await stream.ReadUntilAsync(e => e.Type == EventTypes.GenerationCompleted && e.IsAbout(job));
        var queued = events.First(e => e.IsAbout(job));
        queued.Type.ShouldBe(EventTypes.JobUpdated);
        queued.Data["status"]!.GetValue<string>().ShouldBe("queued");
        queued.Body["id"]!.GetValue<string>().ShouldBe(queued.Id);
        queued.Body["type"]!.GetValue<string>().ShouldBe(EventTypes.JobUpdated);
        events.Where(e => e.Id is not null).Select(e => e.Id).ShouldBeUnique();
    }

    [Fact]
    public async Task A_stream_resumed_from_its_last_event_id_gets_every_event_it_missed_once_then_the_live_ones()
    {
        await app.Host.UseScriptedProviderAsync();
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var received = new List<ServerSentEvent>();
        using (var first = await EventStreamClient.OpenAsync(app.Host, token))
        {
            var job = (await app.Host.SubmitJobAsync(token, "image", QuickImage)).IdOf();
            received.AddRange(await first.ReadUntilAsync(e => e.Type == EventTypes.GenerationCompleted && e.IsAbout(job)));
        }

        // Missed while disconnected: two jobs' queued, started and completed events, committed in any interleaving.
        var missed = await Task.WhenAll(app.Host.SubmitJobAsync(token, "image", QuickImage), app.Host.SubmitJobAsync(token, "image", QuickImage));
        foreach (var job in missed) await app.Host.WaitForJobAsync(token, job.IdOf());
        var recorded = await Feed.IdsInCommitOrderAsync(app.ConnectionString, customer.Organization.Id);

        using var resumed = await EventStreamClient.OpenAsync(app.Host, token, received.Last(e => e.Id is not null).Id);
        received.AddRange(await resumed.ReadUntilAsync(e => e.Id == recorded[^1]));
        var live = (await app.Host.SubmitJobAsync(token, "image", QuickImage)).IdOf();
        received.AddRange(await resumed.ReadUntilAsync(e => e.Type == EventTypes.GenerationCompleted && e.IsAbout(live)));

        var stored = received.Where(e => e.Id is not null).Select(e => e.Id!).ToList();
        var feed = await Feed.IdsInCommitOrderAsync(app.ConnectionString, customer.Organization.Id);
        stored.ShouldBe(feed.SkipWhile(id => id != stored[0])); // none lost, none twice, in commit order
    }

    [Fact]
    public async Task Resuming_from_an_unknown_or_another_organizations_event_is_gone_and_a_malformed_id_is_refused()
    {
        await app.Host.UseScriptedProviderAsync();
        var owner = await app.Host.SignUpAsync();
        await app.Host.WaitForJobAsync(owner.Tokens.AccessToken, (await app.Host.SubmitJobAsync(owner.Tokens.AccessToken, "image", QuickImage)).IdOf());
        var ownersEvent = (await Feed.IdsInCommitOrderAsync(app.ConnectionString, owner.Organization.Id))[0];
        var stranger = (await app.Host.SignUpAsync()).Tokens.AccessToken;

        using (var foreign = await EventStreamClient.OpenAsync(app.Host, stranger, ownersEvent))
            foreign.Response.StatusCode.ShouldBe(HttpStatusCode.Gone);
        using (var unknown = await EventStreamClient.OpenAsync(app.Host, stranger, url: $"/api/events?lastEventId={Guid.CreateVersion7()}"))
        {
            unknown.Response.StatusCode.ShouldBe(HttpStatusCode.Gone);
            (await unknown.Response.Content.ReadAsStringAsync()).ShouldContain("last_event_expired");
        }
        using (var malformed = await EventStreamClient.OpenAsync(app.Host, stranger, "not-an-id"))
            malformed.Response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Another_organizations_events_never_arrive()
    {
        await app.Host.UseScriptedProviderAsync();
        var mine = (await app.Host.SignUpAsync()).Tokens.AccessToken;
        var theirs = (await app.Host.SignUpAsync()).Tokens.AccessToken;
        using var stream = await EventStreamClient.OpenAsync(app.Host, mine);

        var theirJob = (await app.Host.SubmitJobAsync(theirs, "image", QuickImage)).IdOf();
        await app.Host.WaitForJobAsync(theirs, theirJob);
        var myJob = (await app.Host.SubmitJobAsync(mine, "image", QuickImage)).IdOf();

        // Their events committed before mine, so had they leaked they would have come first.
        var events = await stream.ReadUntilAsync(e => e.Type == EventTypes.GenerationCompleted && e.IsAbout(myJob));
        events.ShouldNotContain(e => e.IsAbout(theirJob));
    }

    [Fact]
    public async Task A_running_jobs_progress_is_streamed_without_an_id_and_each_event_is_read_once_per_node_whatever_the_subscribers()
    {
        await app.Host.UseScriptedProviderAsync();
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var hub = app.Host.Services.GetRequiredService<EventHub>();
        using var a = await EventStreamClient.OpenAsync(app.Host, token);
        using var b = await EventStreamClient.OpenAsync(app.Host, token);
        using var c = await EventStreamClient.OpenAsync(app.Host, token);
        var readsBefore = hub.Reads;

        var job = (await app.Host.SubmitJobAsync(token, "image", WaitForMe)).IdOf();
        try
        {
            foreach (var stream in new[] { a, b, c })
            {
                var events = await stream.ReadUntilAsync(e => e.Type == EventTypes.JobProgress && e.IsAbout(job));
                events[^1].Id.ShouldBeNull();
                events[^1].Data["progress"]!.GetValue<int>().ShouldBe(30);
                events.Where(e => e.Id is not null && e.IsAbout(job)).Select(e => e.Data["status"]!.GetValue<string>()).ShouldBe(["queued", "processing"]);
            }
            // Two stored events (queued, started) for three subscribers: at most one read each, never one per subscriber.
            (hub.Reads - readsBefore).ShouldBeInRange(1, 2);
        }
        finally
        {
            app.Host.Services.GetRequiredService<ScriptedProvider>().Release(job);
        }
        await app.Host.WaitForJobAsync(token, job);
    }

    [Fact]
    public async Task A_key_with_the_read_scope_watches_its_organization()
    {
        var admin = await ApiKeyCalls.ProfessionalAdminAsync(app.Host);
        var (_, secret) = await app.Host.CreateKeyAsync(admin, new { name = "dashboard", scopes = new[] { "read" } });
        using var stream = await EventStreamClient.OpenAsync(app.Host, secret);
        stream.Response.StatusCode.ShouldBe(HttpStatusCode.OK);

        var (keyId, _) = await app.Host.CreateKeyAsync(admin, new { name = "another", scopes = new[] { "read" } });
        await using (var session = app.Host.Services.GetRequiredService<Marten.IDocumentStore>().LightweightSession(admin.OrganizationId.ToString()))
        {
            OrganizationEvents.RecordLive(session, admin.OrganizationId, "test.seen", new { keyId }, DateTimeOffset.UtcNow);
            await session.SaveChangesAsync();
        }
        (await stream.ReadUntilAsync(e => e.Type == "test.seen"))[^1].Data["keyId"]!.GetValue<Guid>().ShouldBe(keyId);
    }
}
