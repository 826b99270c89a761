using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BaseAgency.Tests.Support;

/// <summary>Stripe's refunds (POST /v1/refunds with a payment_intent), and the PaymentIntents that pay checkout sessions.</summary>
public sealed partial class FakeStripe
{
    private readonly ConcurrentDictionary<string, (long Amount, string Currency)> _paymentIntents = new();
    private readonly ConcurrentDictionary<string, JsonObject> _refundsByKey = new();
    private readonly ConcurrentDictionary<string, string> _refundedIntents = new();
    private readonly Lock _refunding = new();

    /// <summary>Refunds Stripe made, by id.</summary>
    public ConcurrentDictionary<string, JsonObject> Refunds { get; } = new();

    /// <summary>How many of the next refund requests answer 500 with Stripe's error body.</summary>
    public int RefundFailuresToInject { get; set; }

    private void MapRefunds() => _app.MapPost("/v1/refunds", (HttpRequest request) => CreateRefund(request.HttpContext));

    /// <summary>
    /// Pays a session with a new PaymentIntent of <paramref name="amount"/> (the session's total by default); its
    /// events name it from now on. Answers the PaymentIntent's id.
    /// </summary>
    public string PayWithIntent(string sessionId, long? amount = null, string? currency = null)
    {
        var session = _sessions[sessionId];
        var id = $"pi_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";
        _paymentIntents[id] = (amount ?? session["amount_total"]!.GetValue<long>(), currency ?? session["currency"]!.GetValue<string>());
        session["payment_intent"] = id;
        return id;
    }

    private async Task<IResult> CreateRefund(HttpContext http)
    {
        if (http.Request.Headers.Authorization.ToString() != $"Bearer {SecretKey}")
            return Error(401, "invalid_request_error", "Invalid API Key provided.");
        var form = (await http.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
        var key = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        Requests.Enqueue((http.Request.Path, form, key));

        lock (_refunding)
        {
            if (RefundFailuresToInject > 0)
            {
                RefundFailuresToInject--;
                return Error(500, "api_error", "Something went wrong on Stripe's end.");
            }
            if (key is not null && _refundsByKey.TryGetValue(key, out var earlier)) return Results.Json(earlier);
            if (!form.TryGetValue("payment_intent", out var intentId) || !_paymentIntents.TryGetValue(intentId, out var intent))
                return ErrorWithCode(400, "invalid_request_error", "resource_missing", $"No such payment_intent: '{form.GetValueOrDefault("payment_intent")}'");
            if (_refundedIntents.ContainsKey(intentId))
                return ErrorWithCode(400, "invalid_request_error", "charge_already_refunded", "Charge has already been refunded.");

            var metadata = new JsonObject();
            foreach (var (k, v) in form.Where(f => f.Key.StartsWith("metadata[")))
                metadata[k["metadata[".Length..^1]] = v;
            var refund = new JsonObject
            {
                ["id"] = $"re_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}",
                ["object"] = "refund",
                ["amount"] = form.TryGetValue("amount", out var amount) ? long.Parse(amount) : intent.Amount,
                ["currency"] = intent.Currency,
                ["payment_intent"] = intentId,
                ["metadata"] = metadata,
                ["status"] = "succeeded",
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            };
            Refunds[refund["id"]!.GetValue<string>()] = refund;
            _refundedIntents[intentId] = refund["id"]!.GetValue<string>();
            if (key is not null) _refundsByKey[key] = refund;
            return Results.Json(refund);
        }
    }

    private static IResult ErrorWithCode(int status, string type, string code, string message) =>
        Results.Json(new { error = new { type, code, message } }, statusCode: status);
}
