using System.Net;
using BaseAgency.Events;
using BaseAgency.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace BaseAgency.Tests.Features.WatchEvents;

[Collection(ClockedAppCollection.Name)]
public sealed class EventRetentionTests(ClockedAppFixture app)
{
    [Fact]
    public async Task A_stream_cannot_resume_from_an_event_older_than_the_retention()
    {
        await app.Host.UseScriptedProviderAsync();
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        string lastId;
        using (var stream = await EventStreamClient.OpenAsync(app.Host, token))
        {
            var job = (await app.Host.SubmitJobAsync(token, "image",
                new { prompt = "a quick one", provider = "scripted", model = "scripted-image", width = 512, height = 512 })).IdOf();
            lastId = (await stream.ReadUntilAsync(e => e.Type == EventTypes.GenerationCompleted && e.IsAbout(job)))[^1].Id!;
        }
        using (var fresh = await EventStreamClient.OpenAsync(app.Host, token, lastId))
            fresh.Response.StatusCode.ShouldBe(HttpStatusCode.OK); // within the retention it resumes

        app.Clock!.Advance(TimeSpan.FromHours(new EventOptions().RetentionHours) + TimeSpan.FromMinutes(1));
        await using (var scope = app.Host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new PurgeEvents());

        token = (await app.Host.LoginAsync(customer.User.Email)).AccessToken; // the old session expired with the clock
        using var expired = await EventStreamClient.OpenAsync(app.Host, token, lastId);
        expired.Response.StatusCode.ShouldBe(HttpStatusCode.Gone);

        // The event itself stays for webhook retries and redelivery, until it is older than the events are kept.
        var store = app.Host.Services.GetRequiredService<Marten.IDocumentStore>();
        await using (var query = store.QuerySession(customer.Organization.Id.ToString()))
            (await query.LoadAsync<OrganizationEvent>(Guid.Parse(lastId))).ShouldNotBeNull();
        app.Clock.Advance(TimeSpan.FromDays(new EventOptions().KeepDays));
        await using (var scope = app.Host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new PurgeEvents());
        await using (var query = store.QuerySession(customer.Organization.Id.ToString()))
            (await query.LoadAsync<OrganizationEvent>(Guid.Parse(lastId))).ShouldBeNull();
    }
}
