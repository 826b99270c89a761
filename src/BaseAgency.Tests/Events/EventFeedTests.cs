using BaseAgency.Events;
using BaseAgency.Organizations;
using BaseAgency.Tests.Features.WatchEvents;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

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
}
