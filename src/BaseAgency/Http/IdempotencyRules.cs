using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace BaseAgency.Http;

/// <summary>The key and the fingerprint of a request that <see cref="Idempotency"/> let through.</summary>
public sealed record IdempotentRequest(string Key, string Fingerprint);

/// <summary>A kept answer, replayed as it was first sent.</summary>
public sealed record StoredAnswer(int Status, string? ContentType, string? Location, byte[] Body);

/// <summary>What is stored for a key: whose request it is, who runs it and until when, and its answer once there is one.</summary>
public sealed record IdempotencyRecord(string Fingerprint, Guid Token, DateTimeOffset LeaseUntil, DateTimeOffset ExpiresAt, StoredAnswer? Answer);

/// <summary>What to do with a request whose key is already stored.</summary>
public abstract record IdempotencyVerdict
{
    public sealed record Replay(StoredAnswer Answer) : IdempotencyVerdict;
    public sealed record Reused : IdempotencyVerdict;
    public sealed record InFlight : IdempotencyVerdict;
    /// <summary>The key was forgotten, or its request died without an answer: this request runs in its place.</summary>
    public sealed record TakeOver : IdempotencyVerdict;
}

/// <summary>The Idempotency-Key semantics as pure functions: key shape, request fingerprint, what a stored key means, what is kept.</summary>
public static class IdempotencyRules
{
    /// <summary>1–255 visible ASCII characters, the shape clients such as Stripe's SDKs send.</summary>
    /// <summary>Headers that change what a request does (a job's deadline): the same key with another value is another request.</summary>
    public static readonly string[] MeaningfulHeaders = ["Cancel-After"];

    public static bool IsWellFormed(string? key) => key is { Length: >= 1 and <= 255 } && key.All(c => c is >= '!' and <= '~');

    /// <summary>
    /// SHA-256 of the method, the route template, the route values, the query string and the canonical body: the
    /// same request however its JSON is spaced or ordered, another request as soon as any value differs.
    /// </summary>
    public static string Fingerprint(string method, string route, IEnumerable<KeyValuePair<string, string?>> routeValues, string query,
        byte[] body, IEnumerable<KeyValuePair<string, string?>>? headers = null)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // A JSON array is self-delimiting, so no route value can run into the body.
        object[] parts =
        [
            method.ToUpperInvariant(), route, routeValues.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => new[] { v.Key, v.Value }), query,
        ];
        // Only headers that were sent are added, so a request without them keeps the fingerprint it always had.
        var sent = headers?.Where(h => !string.IsNullOrEmpty(h.Value)).Select(h => new[] { h.Key.ToLowerInvariant(), h.Value }).ToArray() ?? [];
        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(sent.Length == 0 ? parts : [.. parts, sent]));
        hash.AppendData(Canonical(body));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The body with object keys sorted and insignificant whitespace dropped; a body that is not JSON, as it is.</summary>
    public static byte[] Canonical(byte[] body)
    {
        if (body.Length == 0) return body;
        try
        {
            using var document = JsonDocument.Parse(body);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer)) Write(writer, document.RootElement);
            return buffer.ToArray();
        }
        catch (JsonException)
        {
            return body;
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray()) Write(writer, item);
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    public static IdempotencyVerdict Decide(IdempotencyRecord stored, string fingerprint, DateTimeOffset now)
    {
        if (stored.ExpiresAt <= now) return new IdempotencyVerdict.TakeOver();
        if (stored.Fingerprint != fingerprint) return new IdempotencyVerdict.Reused();
        if (stored.Answer is { } answer) return new IdempotencyVerdict.Replay(answer);
        return stored.LeaseUntil <= now ? new IdempotencyVerdict.TakeOver() : new IdempotencyVerdict.InFlight();
    }

    /// <summary>
    /// Successes and the client's own mistakes are final and kept; a 5xx, a 409 (a conflict of the moment) or a
    /// 429 says "try again", so it is not kept and the same key may run again.
    /// </summary>
    public static bool Keeps(int status) => status is >= 200 and < 300 || (status is >= 400 and < 500 && status is not (409 or 429));
}
