using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;

namespace BaseAgency.Tests.Support;

/// <summary>
/// A local stand-in for the part of Stripe's API the service calls (POST /v1/checkout/sessions), speaking
/// Stripe's wire protocol: Bearer secret key, form-encoded bodies with bracketed keys, Idempotency-Key,
/// JSON objects and Stripe's error shape. It also builds webhook events and signs them with Stripe's scheme.
/// </summary>
public sealed partial class FakeStripe : IAsyncDisposable
{
    public const string SecretKey = "sk_test_fake_0123456789";
    public const string WebhookSecret = "whsec_test_fake_secret";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonObject> _sessions = new();
    private readonly ConcurrentDictionary<string, string> _byIdempotencyKey = new();
    private int _counter;

    public string BaseUrl { get; private set; } = "";
    public ConcurrentQueue<(string Path, Dictionary<string, string> Form, string? IdempotencyKey)> Requests { get; } = new();

    /// <summary>How many of the next session creations answer 500 with Stripe's error body.</summary>
    public int FailuresToInject { get; set; }

    public FakeStripe()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/checkout/sessions", (HttpRequest request) => CreateSession(request.HttpContext));
        MapBilling();
        MapPaymentIntents();
        MapRefunds();
    }

    public async Task StartAsync()
    {
        await _app.StartAsync();
        BaseUrl = _app.Services.GetService(typeof(IServer)) is IServer server
            ? server.Features.Get<IServerAddressesFeature>()!.Addresses.First()
            : throw new InvalidOperationException("No server");
    }

    public JsonObject Session(string id) => _sessions[id];

    private async Task<IResult> CreateSession(HttpContext http)
    {
        if (http.Request.Headers.Authorization.ToString() != $"Bearer {SecretKey}")
            return Error(401, "invalid_request_error", "Invalid API Key provided.");
        var form = (await http.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
        var key = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        Requests.Enqueue((http.Request.Path, form, key));
        if (FailuresToInject > 0)
        {
            FailuresToInject--;
            return Error(500, "api_error", "Something went wrong on Stripe's end.");
        }
        if (key is not null && _byIdempotencyKey.TryGetValue(key, out var earlier)) return Results.Json(_sessions[earlier]);
        if (form.GetValueOrDefault("mode") == "subscription") return CreateSubscriptionSession(form, key);

        foreach (var required in new[] { "mode", "success_url", "line_items[0][quantity]", "line_items[0][price_data][currency]" })
            if (!form.ContainsKey(required))
                return Error(400, "invalid_request_error", $"Missing required param: {required}.");

        var id = $"cs_test_{Interlocked.Increment(ref _counter):D4}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        var metadata = new JsonObject();
        foreach (var (k, v) in form.Where(f => f.Key.StartsWith("metadata[")))
            metadata[k["metadata[".Length..^1]] = v;
        var session = new JsonObject
        {
            ["id"] = id,
            ["object"] = "checkout.session",
            ["mode"] = form["mode"],
            ["client_reference_id"] = form.GetValueOrDefault("client_reference_id"),
            ["metadata"] = metadata,
            ["amount_total"] = long.Parse(form["line_items[0][price_data][unit_amount]"]) * long.Parse(form["line_items[0][quantity]"]),
            ["currency"] = form["line_items[0][price_data][currency]"],
            ["payment_status"] = "unpaid",
            ["status"] = "open",
            ["success_url"] = form["success_url"],
            ["cancel_url"] = form.GetValueOrDefault("cancel_url"),
            ["expires_at"] = form.TryGetValue("expires_at", out var expires) ? long.Parse(expires) : DateTimeOffset.UtcNow.AddHours(24).ToUnixTimeSeconds(),
            ["url"] = $"https://checkout.stripe.com/c/pay/{id}",
            ["livemode"] = false,
        };
        _sessions[id] = session;
        if (key is not null) _byIdempotencyKey[key] = id;
        return Results.Json(session);
    }

    private static IResult Error(int status, string type, string message) =>
        Results.Json(new { error = new { type, message } }, statusCode: status);

    /// <summary>A webhook event about a session, as Stripe sends it (the session as it stands after the change).</summary>
    public string Event(string type, string sessionId, Action<JsonObject>? change = null)
    {
        var session = _sessions[sessionId].DeepClone().AsObject();
        if (type is "checkout.session.completed" or "checkout.session.async_payment_succeeded")
        {
            session["status"] = "complete";
            session["payment_status"] = "paid";
        }
        if (type == "checkout.session.expired") session["status"] = "expired";
        change?.Invoke(session);
        return EventAbout(type, session);
    }

    /// <summary>Stripe's scheme: "t=&lt;unix time&gt;,v1=&lt;hex HMAC-SHA256 of "t.payload" with the endpoint secret&gt;".</summary>
    public static string Sign(string payload, DateTimeOffset at, string secret = WebhookSecret)
    {
        var t = at.ToUnixTimeSeconds();
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{payload}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>The app configured for Stripe, pointed at a <see cref="FakeStripe"/>.</summary>
public sealed class StripeAppFixture : AppFixture
{
    public FakeStripe Stripe { get; } = new();

    protected override Task BeforeStartAsync() => Stripe.StartAsync();

    protected override IEnumerable<KeyValuePair<string, string>> Settings() =>
    [
        new("Billing:PaymentProvider", "stripe"),
        new("Stripe:SecretKey", FakeStripe.SecretKey),
        new("Stripe:WebhookSecret", FakeStripe.WebhookSecret),
        new("Stripe:ApiBase", Stripe.BaseUrl),
    ];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class StripeAppCollection : ICollectionFixture<StripeAppFixture>
{
    public const string Name = "stripe app";
}
