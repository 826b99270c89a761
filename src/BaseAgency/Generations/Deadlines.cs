using System.Text.RegularExpressions;
using BaseAgency.Http;
using BaseAgency.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Generations;

/// <summary>
/// The customer's deadline on a job (the <c>Cancel-After</c> header, as Replicate's API has it): a job not finished by then
/// is canceled by a durable scheduled <see cref="EnforceDeadline"/>, and its running attempt stops waiting for the provider.
/// </summary>
public static partial class Deadlines
{
    public const string CancelAfterHeader = "Cancel-After";
    public static readonly TimeSpan Shortest = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Longest = TimeSpan.FromHours(24);

    public const string ExceededCode = "deadline_exceeded";

    /// <summary>"30s", "5m", "1h30m", "1h2m3s" or plain seconds ("90"); null when it is none of these.</summary>
    public static TimeSpan? Parse(string? value)
    {
        if (value is null) return null;
        value = value.Trim();
        if (value.Length is 0 or > 20) return null;
        if (value.All(char.IsAsciiDigit)) return long.TryParse(value, out var seconds) && seconds <= Longest.TotalSeconds ? TimeSpan.FromSeconds(seconds) : null;
        var match = Duration().Match(value);
        if (!match.Success) return null;
        long Part(string unit) => match.Groups[unit].Success ? long.Parse(match.Groups[unit].Value) : 0;
        var (h, m, s) = (Part("h"), Part("m"), Part("s"));
        // Caps each part before multiplying: "99999999999h" is out of bounds, not an overflow.
        return h > 24 || m > 24 * 60 || s > 24 * 3600 ? null : TimeSpan.FromSeconds(h * 3600 + m * 60 + s);
    }

    /// <summary>The header's duration when it is one value within 1 s … 24 h; none when absent; else a 400 problem.</summary>
    public static Outcome<TimeSpan?> CancelAfterOf(IHeaderDictionary headers)
    {
        if (!headers.TryGetValue(CancelAfterHeader, out var values)) return (TimeSpan?)null;
        if (values.Count == 1 && Parse(values[0]) is { } after && after >= Shortest && after <= Longest) return after;
        return Problems.Of(StatusCodes.Status400BadRequest, "invalid_cancel_after",
            "The Cancel-After header must be one duration between 1s and 24h.", "For example 30s, 5m, 1h30m, or plain seconds (90).");
    }

    /// <summary>
    /// How long a job's credits stay reserved: past its deadline by <see cref="GenerationOptions.DeadlineGrace"/>, so the
    /// deadline's cancel (which may charge started work) settles it rather than the reservation's timeout; without a
    /// deadline, <see cref="GenerationOptions.ReservationTimeout"/>.
    /// </summary>
    public static TimeSpan ReservationFor(TimeSpan? cancelAfter, GenerationOptions options) =>
        cancelAfter is { } after ? after + options.DeadlineGrace : options.ReservationTimeout;

    public enum Step { Nothing, WaitUntilDeadline, Cancel }

    /// <summary>
    /// A finished job is left alone; a message that comes before the deadline (another node's clock, a redelivery) waits
    /// again; otherwise the job is canceled.
    /// </summary>
    public static Step Next(GenerationJob? job, DateTimeOffset now) => job switch
    {
        null or { IsFinished: true } or { DeadlineAt: null } => Step.Nothing,
        _ when job.DeadlineAt > now => Step.WaitUntilDeadline,
        _ => Step.Cancel,
    };

    /// <summary>
    /// The job canceled at its deadline, as the customer's own cancel would be: nothing charged if the provider had not
    /// started on it, <paramref name="afterStartCharge"/> of its credits if it had (the customer chose the deadline; the
    /// platform pays the provider for started work either way).
    /// </summary>
    public static GenerationJob Canceled(GenerationJob job, decimal afterStartCharge, DateTimeOffset now) => job with
    {
        Status = JobStatus.Canceled,
        CompletedAt = now,
        ErrorCode = ExceededCode,
        ErrorMessage = "The job did not finish before its Cancel-After deadline.",
        CreditsUsed = job.Status == JobStatus.Processing ? CreditRules.CancelCharge(job.CreditsReserved, afterStartCharge) : 0,
        CreditReasonCode = job.Status == JobStatus.Processing ? CreditReason.CanceledAfterStart : CreditReason.CanceledBeforeStart,
    };

    [GeneratedRegex(@"^(?:(?<h>\d{1,11})h)?(?:(?<m>\d{1,11})m)?(?:(?<s>\d{1,11})s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Duration();
}
