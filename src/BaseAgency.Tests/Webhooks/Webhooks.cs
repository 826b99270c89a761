using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Events;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Webhooks;

/// <summary>Test helpers for webhooks: an admin on a plan with them, endpoints, deliveries, and a receiver-side verifier.</summary>
public static class Webhooks
{
    public sealed record Admin(Guid OrganizationId, string Token);

    public static async Task<Admin> WebhookAdminAsync(this IAlbaHost host, PlanSlug plan = PlanSlug.Professional)
    {
        var signedUp = await host.SignUpAsync();
        await host.SetPlanAsync(signedUp.Organization.Id, plan);
        return new Admin(signedUp.Organization.Id, signedUp.Tokens.AccessToken);
    }

    /// <summary>Creates an endpoint; returns its id and its signing secret.</summary>
    public static async Task<(Guid Id, string Secret)> CreateWebhookAsync(this IAlbaHost host, string token, string url, params string[] events)
    {
        var created = await host.Scenario(s =>
        {
            s.Post.Json(new { url, events = events.Length > 0 ? events : ["generation.completed"], description = "test receiver" }).ToUrl("/api/webhooks");
            s.As(token);
            s.StatusCodeShouldBe(201);
        });
        var json = await created.JsonAsync();
        return (json["endpoint"]!["id"]!.GetValue<Guid>(), json["secret"]!.GetValue<string>());
    }

    public static async Task<Guid> SendTestAsync(this IAlbaHost host, string token, Guid webhookId)
    {
        var sent = await host.Scenario(s =>
        {
            s.Post.Url($"/api/webhooks/{webhookId}/test");
            s.As(token);
            s.StatusCodeShouldBe(202);
        });
        return (await sent.JsonAsync())["eventId"]!.GetValue<Guid>();
    }

    public static async Task<JsonArray> DeliveriesAsync(this IAlbaHost host, string token, Guid webhookId) =>
        (await host.GetAsJson<JsonObject>($"/api/webhooks/{webhookId}/deliveries?limit=200", token))["items"]!.AsArray();

    public static async Task<JsonObject> WebhookAsync(this IAlbaHost host, string token, Guid webhookId) =>
        (await host.GetAsJson<JsonArray>("/api/webhooks", token)).Single(w => w!["id"]!.GetValue<Guid>() == webhookId)!.AsObject();

    /// <summary>Polls the endpoint's deliveries until <paramref name="reached"/> holds (or fails the test after a minute).</summary>
    public static Task<JsonArray> WaitForDeliveriesAsync(this IAlbaHost host, string token, Guid webhookId, Func<JsonArray, bool> reached) =>
        EventuallyAsync(() => host.DeliveriesAsync(token, webhookId), reached);

    public static Task WaitForAsync(Func<bool> reached) => EventuallyAsync(() => Task.FromResult(reached()), done => done);

    /// <summary>Reads until <paramref name="reached"/> holds (or fails the test after a minute, showing the last value read).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> reached)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var value = await read();
            if (reached(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Never reached the expected state: {(value is JsonNode n ? n.ToJsonString() : value)}");
            await Task.Delay(100);
        }
    }

    /// <summary>The organization's recorded events of one type, read from the database.</summary>
    public static async Task<List<OrganizationEvent>> EventsAsync(this IAlbaHost host, Guid organizationId, string type)
    {
        await using var session = host.Services.GetRequiredService<IDocumentStore>().QueryFor(organizationId);
        return (await session.Query<OrganizationEvent>().Where(e => e.Type == type).ToListAsync()).ToList();
    }

    /// <summary>
    /// The receiver's side of Standard Webhooks, written from the specification and not from the service's code: true when one
    /// of the space-separated <c>v1,</c> signatures is the HMAC-SHA256 of <c>id.timestamp.body</c> under the decoded secret.
    /// </summary>
    public static bool Verifies(string secret, WebhookReceiver.Received request)
    {
        var id = request.Headers["webhook-id"];
        var timestamp = request.Headers["webhook-timestamp"];
        using var hmac = new HMACSHA256(Convert.FromBase64String(secret["whsec_".Length..]));
        var expected = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{id}.{timestamp}.{request.Body}")));
        return request.Headers["webhook-signature"].Split(' ')
            .Any(s => s.StartsWith("v1,") && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s[3..]), Encoding.ASCII.GetBytes(expected)));
    }
}
