using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BaseAgency.Tests.Support;

/// <summary>
/// Customers with saved payment methods (GET /v1/customers/{id}, GET /v1/customers/{id}/payment_methods) and
/// PaymentIntents confirmed off-session (POST /v1/payment_intents). As with Stripe's test cards, the payment
/// method decides: <see cref="DeclinedCard"/> is declined, <see cref="AuthenticationRequiredCard"/> needs its holder,
/// <see cref="DebitInProcessing"/> is accepted and still processing, any other succeeds.
/// </summary>
public sealed partial class FakeStripe
{
    public const string Card = "pm_card_visa";
    public const string DeclinedCard = "pm_card_chargeDeclined";
    public const string AuthenticationRequiredCard = "pm_card_authenticationRequired";
    public const string DebitInProcessing = "pm_sepa_debit_processing";

    private readonly ConcurrentDictionary<string, JsonObject> _customers = new();
    private readonly ConcurrentDictionary<string, JsonObject> _intents = new();
    private readonly ConcurrentDictionary<string, (int Status, JsonObject Body)> _intentsByIdempotencyKey = new();

    /// <summary>A customer whose default payment method (invoice_settings) is <paramref name="defaultMethod"/>, with <paramref name="saved"/> attached too.</summary>
    public string AddCustomer(string? defaultMethod, params string[] saved)
    {
        var id = $"cus_test_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(7))}";
        _customers[id] = new JsonObject
        {
            ["id"] = id,
            ["object"] = "customer",
            ["invoice_settings"] = new JsonObject { ["default_payment_method"] = defaultMethod },
            ["saved"] = new JsonArray([.. saved.Select(pm => JsonValue.Create(pm))]),
            ["livemode"] = false,
        };
        return id;
    }

    public JsonObject PaymentIntent(string id) => _intents[id];

    /// <summary>The PaymentIntent made for one of our purchases (its metadata carries the purchase id).</summary>
    public JsonObject PaymentIntentOf(Guid purchaseId) =>
        _intents.Values.Single(i => i["metadata"]?["purchase_id"]?.GetValue<string>() == purchaseId.ToString());

    private void MapPaymentIntents()
    {
        _app.MapGet("/v1/customers/{id}", (HttpRequest request, string id) =>
            Authorized(request) ?? (_customers.TryGetValue(id, out var customer) ? Results.Json(Public(customer)) : NoSuchCustomer(id)));
        _app.MapGet("/v1/customers/{id}/payment_methods", (HttpRequest request, string id) =>
            Authorized(request) ?? (_customers.TryGetValue(id, out var customer)
                ? Results.Json(new JsonObject
                {
                    ["object"] = "list",
                    ["url"] = $"/v1/customers/{id}/payment_methods",
                    ["has_more"] = false,
                    ["data"] = new JsonArray([.. customer["saved"]!.AsArray().Reverse().Select(pm => PaymentMethod(pm!.GetValue<string>(), id))]),
                })
                : NoSuchCustomer(id)));
        _app.MapPost("/v1/payment_intents", (HttpRequest request) => CreatePaymentIntent(request.HttpContext));
    }

    private IResult? Authorized(HttpRequest request) =>
        request.Headers.Authorization.ToString() == $"Bearer {SecretKey}" ? null : Error(401, "invalid_request_error", "Invalid API Key provided.");

    private async Task<IResult> CreatePaymentIntent(HttpContext http)
    {
        if (Authorized(http.Request) is { } unauthorized) return unauthorized;
        var form = (await http.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
        var key = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        Requests.Enqueue((http.Request.Path, form, key));
        // Stripe replays the first answer to a key, a decline included.
        if (key is not null && _intentsByIdempotencyKey.TryGetValue(key, out var earlier)) return Results.Json(earlier.Body, statusCode: earlier.Status);

        foreach (var required in new[] { "amount", "currency" })
            if (!form.ContainsKey(required))
                return Error(400, "invalid_request_error", $"Missing required param: {required}.");
        var customer = form.GetValueOrDefault("customer");
        var method = form.GetValueOrDefault("payment_method");
        if (customer is null || !_customers.ContainsKey(customer)) return NoSuchCustomer(customer ?? "");

        var id = $"pi_test_{Interlocked.Increment(ref _counter):D4}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        var metadata = new JsonObject();
        foreach (var (k, v) in form.Where(f => f.Key.StartsWith("metadata[")))
            metadata[k["metadata[".Length..^1]] = v;
        var amount = long.Parse(form["amount"]);
        var (status, declineCode, message) = method switch
        {
            DeclinedCard => ("requires_payment_method", "card_declined", "Your card was declined."),
            AuthenticationRequiredCard => ("requires_payment_method", "authentication_required",
                "Your card was declined. This transaction requires authentication."),
            DebitInProcessing => ("processing", null, null),
            _ => ("succeeded", (string?)null, (string?)null),
        };
        var intent = new JsonObject
        {
            ["id"] = id,
            ["object"] = "payment_intent",
            ["amount"] = amount,
            ["amount_received"] = status == "succeeded" ? amount : 0,
            ["currency"] = form["currency"],
            ["customer"] = customer,
            ["payment_method"] = declineCode is null ? method : null,
            ["description"] = form.GetValueOrDefault("description"),
            ["metadata"] = metadata,
            ["status"] = status,
            ["capture_method"] = "automatic",
            ["confirmation_method"] = "automatic",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false,
        };
        var answer = (Status: 200, Body: intent);
        if (declineCode is not null)
        {
            var error = new JsonObject
            {
                ["type"] = "card_error",
                ["code"] = declineCode,
                ["decline_code"] = declineCode == "card_declined" ? "generic_decline" : declineCode,
                ["message"] = message,
                ["doc_url"] = $"https://docs.stripe.com/error-codes/{declineCode.Replace('_', '-')}",
            };
            intent["last_payment_error"] = error.DeepClone();
            error["payment_intent"] = intent.DeepClone();
            answer = (402, new JsonObject { ["error"] = error });
        }
        _intents[id] = intent;
        if (key is not null) _intentsByIdempotencyKey[key] = answer;
        return Results.Json(answer.Body, statusCode: answer.Status);
    }

    /// <summary>A webhook event about a PaymentIntent, as Stripe sends it (<c>payment_intent.succeeded</c>, <c>payment_intent.payment_failed</c>).</summary>
    public string PaymentIntentEvent(string type, string intentId) => EventAbout(type, _intents[intentId].DeepClone().AsObject());

    /// <summary>Stripe's event envelope around the object as it stands after the change.</summary>
    private static string EventAbout(string type, JsonObject about) => new JsonObject
    {
        ["id"] = $"evt_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}",
        ["object"] = "event",
        ["api_version"] = "2025-01-27.acacia",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["type"] = type,
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["data"] = new JsonObject { ["object"] = about },
    }.ToJsonString();

    private static JsonObject Public(JsonObject customer)
    {
        var copy = customer.DeepClone().AsObject();
        copy.Remove("saved"); // the fake's own bookkeeping; Stripe lists them separately
        return copy;
    }

    private static JsonObject PaymentMethod(string id, string customer) => new()
    {
        ["id"] = id,
        ["object"] = "payment_method",
        ["type"] = id.StartsWith("pm_sepa") ? "sepa_debit" : "card",
        ["customer"] = customer,
        ["livemode"] = false,
    };

    private static IResult NoSuchCustomer(string id) => Results.Json(new
    {
        error = new { type = "invalid_request_error", code = "resource_missing", param = "customer", message = $"No such customer: '{id}'" },
    }, statusCode: 404);
}
