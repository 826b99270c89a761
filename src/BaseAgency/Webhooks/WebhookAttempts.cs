using System.Text.Json;
using BaseAgency.Events;
using BaseAgency.Providers.Keys;

namespace BaseAgency.Webhooks;

/// <summary>The rules of one delivery attempt, as plain functions: what is sent, what a failure leads to.</summary>
public static class WebhookAttempts
{
    private static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web);

    /// <summary>The Standard Webhooks body: the event's type, when it happened, and the API's own view of the resource.</summary>
    public static string BodyOf(OrganizationEvent recorded) =>
        JsonSerializer.Serialize(new { type = recorded.Type, timestamp = recorded.At, data = recorded.Data }, BodyJson);

    /// <summary>The secrets that sign now: the current one, and the previous one while a rotation's overlap lasts.</summary>
    public static IEnumerable<SealedSecret> SigningSecrets(WebhookEndpoint endpoint, DateTimeOffset now) =>
        endpoint.PreviousSecret is { } previous && endpoint.PreviousSecretUntil > now ? [endpoint.Secret, previous] : [endpoint.Secret];

    /// <summary>
    /// The wait before the next attempt after attempt <paramref name="attempt"/> (1-based) failed; null when the schedule is spent
    /// or the attempt was made by hand (a redelivery or a test is tried once).
    /// </summary>
    public static TimeSpan? NextDelay(int attempt, bool manual, IReadOnlyList<TimeSpan> schedule) =>
        manual || attempt < 1 || attempt > schedule.Count ? null : schedule[attempt - 1];

    /// <summary>Why the endpoint is switched off after this answer, or null: a 410 says "gone for good"; so does a long run of failures.</summary>
    public static string? DisableReason(WebhookResponse response, int consecutiveFailures, int limit)
    {
        if (response.HttpStatus == 410) return "The receiver answered 410 Gone.";
        if (!response.Delivered && consecutiveFailures >= limit) return $"{consecutiveFailures} delivery attempts failed in a row.";
        return null;
    }
}
