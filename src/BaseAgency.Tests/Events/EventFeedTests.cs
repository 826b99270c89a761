using BaseAgency.Events;
using BaseAgency.Organizations;
using BaseAgency.Tests.Features.WatchEvents;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BaseAgency.Tests.Events;

[Collection(AppCollection.Name)]
public sealed class EventFeedTests(AppFixture app)
{
    [Fact]
    public async Task Events_committed_concurrently_reach_every_node_and_a_resume_in_commit_order_whatever_their_ids_say()
    {
        var customer = await app.Host.SignUpAsync();
        var organization = customer.Organization.Id;
        var token = customer.Tokens.AccessToken;
        await using var other = await app.StartAnotherNodeAsync();
        await other.Services.GetRequiredService<EventHub>().Listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var here = await EventStreamClient.OpenAsync(app.Host, token);
        using var there = await EventStreamClient.OpenAsync(other, token);

        var earlier = (await Feed.IdsInCommitOrderAsync(app.ConnectionString, organization)).Count;

        // Ids (UUIDv7) ordered backwards from the order the transactions start in, and the commits race each other.
        const int count = 20;
        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        var now = DateTimeOffset.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, count).Select(async n =>
        {
            await using var session = store.LightweightSession(Tenancy.TenantOf(organization));
            OrganizationEvents.RecordLive(session, organization, "test.raced", new { n }, now.AddSeconds(-n));
            await session.SaveChangesAsync();
        }));
        var committed = (await Feed.IdsInCommitOrderAsync(app.ConnectionString, organization)).Skip(earlier).ToList();
        committed.Count.ShouldBe(count);

        foreach (var stream in new[] { here, there })
        {
            var heard = await stream.ReadUntilAsync(e => e.Id == committed[^1]);
            heard.Select(e => e.Id).ShouldBe(committed);
        }
        using var resumed = await EventStreamClient.OpenAsync(other, token, committed[4]);
        (await resumed.ReadUntilAsync(e => e.Id == committed[^1])).Select(e => e.Id).ShouldBe(committed.Skip(5));
    }

    [Fact]
    public async Task Events_committed_while_the_hub_was_disconnected_are_caught_up_after_it_reconnects()
    {
        var customer = await app.Host.SignUpAsync();
        var organization = customer.Organization.Id;
        var hub = app.Host.Services.GetRequiredService<EventHub>();
        await hub.Listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var stream = await EventStreamClient.OpenAsync(app.Host, customer.Tokens.AccessToken);
        var earlier = (await Feed.IdsInCommitOrderAsync(app.ConnectionString, organization)).Count;

        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var kill = new NpgsqlCommand(
                $"select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = current_database() " +
                $"and query in ('LISTEN {OrganizationEvents.Channel}', 'LISTEN {OrganizationEvents.LiveChannel}')",
                connection);
            ((long)(await kill.ExecuteScalarAsync())!).ShouldBeGreaterThan(0);
        }
        // The hub waits a second before reconnecting: these commit while nobody listens.
        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        for (var n = 0; n < 3; n++)
        {
            await using var session = store.LightweightSession(Tenancy.TenantOf(organization));
            OrganizationEvents.RecordLive(session, organization, "test.unheard", new { n }, DateTimeOffset.UtcNow);
            await session.SaveChangesAsync();
        }

        var committed = (await Feed.IdsInCommitOrderAsync(app.ConnectionString, organization)).Skip(earlier).ToList();
        (await stream.ReadUntilAsync(e => e.Id == committed[^1])).Select(e => e.Id).ShouldBe(committed);
    }

    [Fact]
    public async Task A_subscriber_that_does_not_keep_up_is_dropped_after_its_buffer_rather_than_held_in_memory()
    {
        var organization = (await app.Host.SignUpAsync()).Organization.Id;
        var hub = app.Host.Services.GetRequiredService<EventHub>();
        using var slow = await hub.SubscribeAsync(organization, CancellationToken.None);

        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession(Tenancy.TenantOf(organization)))
        {
            for (var n = 0; n <= EventHub.SubscriberBuffer; n++)
                OrganizationEvents.RecordLive(session, organization, "test.flood", new { n }, DateTimeOffset.UtcNow);
            await session.SaveChangesAsync();
        }

        var buffered = 0;
        while (await slow.NextAsync(TimeSpan.FromSeconds(10), CancellationToken.None) is not null) buffered++;
        buffered.ShouldBe(EventHub.SubscriberBuffer); // what it had room for, then the end of its stream
        slow.Dropped.ShouldBeTrue();
    }
}
