using System.Security.Cryptography;
using System.Text.Json;
using BaseAgency.Http;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using BaseAgency.Providers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Generations;

/// <summary>How a quoted price is made: credits per unit of the price row, the resolution multiplier (1 unless an image), and the units.</summary>
public sealed record QuoteBreakdown(decimal Base, decimal Multiplier, decimal Units);

/// <summary>
/// A binding price for one job: a submission whose request has the same <see cref="Fingerprint"/> and carries the
/// quote's id before <see cref="ExpiresAt"/> is charged exactly <see cref="Credits"/>, whatever its price row says by then.
/// Reserves nothing; one job at most uses it (a unique index on <see cref="GenerationJob.QuoteId"/>).
/// </summary>
/// <param name="CostUsdPerUnit">The price row's cost when quoted, kept with its credits so the quote says what it priced.</param>
public sealed record Quote(
    Guid Id,
    Guid OrganizationId,
    Guid UserId,
    GenerationType Type,
    string Provider,
    string Model,
    string Fingerprint,
    int Credits,
    decimal CostUsd,
    QuoteBreakdown Breakdown,
    decimal CostUsdPerUnit,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt) : IOrganizationOwned;

/// <summary>Making a quote and honouring it, as pure functions.</summary>
public static class QuoteRules
{
    /// <summary>
    /// SHA-256 of what decides a job's price and its output: type, provider and model (defaults filled in), failover,
    /// and the inputs. Seed, project and tags are left out: they do not change the price, and a seed is drawn at random
    /// when the request names none, so a quoted request sent again would never match.
    /// </summary>
    public static string Fingerprint(JobOrder order, GenerationOptions options)
    {
        var (provider, model) = SubmissionRules.Target(order, options);
        var input = order.Input;
        // A JSON array: self-delimiting, so no value can run into the next.
        var canonical = JsonSerializer.SerializeToUtf8Bytes(new object?[]
        {
            order.Type.ToString(), provider, model, order.AllowFailover, input.Prompt, input.NegativePrompt, input.Style, input.AspectRatio,
            input.Width, input.Height, input.DurationSeconds, input.Voice, input.MaxTokens, input.SourceImage,
        });
        return Convert.ToHexStringLower(SHA256.HashData(canonical));
    }

    /// <summary>The quote of an accepted job, priced by <paramref name="row"/>, valid for <paramref name="lifetime"/>.</summary>
    public static Quote Of(JobOrder order, Acceptance accepted, PriceRow row, GenerationOptions options, Guid id, DateTimeOffset now, TimeSpan lifetime)
    {
        var (job, price) = (accepted.Job, accepted.Price);
        return new Quote(id, order.OrganizationId, order.UserId, job.Type, job.Provider, job.Model, Fingerprint(order, options), price.Credits,
            price.CostUsd, new QuoteBreakdown(row.CreditsPerUnit, price.Multiplier, price.Units), row.CostUsdPerUnit, now, now + lifetime);
    }

    /// <summary>
    /// Whether a submission may use the quote: it must exist in the organization (another's is not found), not have
    /// bought a job already, not have expired, and price the same request.
    /// </summary>
    public static ProblemHttpResult? Refusal(Quote? quote, bool used, string fingerprint, DateTimeOffset now) => quote switch
    {
        null => Problems.NotFound("The quote"),
        _ when used => Problems.Conflict("quote_used", "This quote has already bought a job.", "Ask for a new quote (POST /api/quotes)."),
        _ when now >= quote.ExpiresAt => Problems.Conflict("quote_expired", "This quote has expired.",
            $"It was valid until {quote.ExpiresAt:O}; ask for a new one (POST /api/quotes)."),
        _ when quote.Fingerprint != fingerprint => Problems.Conflict("quote_mismatch", "The request differs from the one quoted.",
            "Send the quoted request unchanged, or ask for a new quote."),
        _ => null,
    };

    /// <summary>
    /// A quote prices one provider's model: a submission that failover moved to another (the quoted one is down now) may
    /// not run at the quoted price, which could be below the other's.
    /// </summary>
    public static ProblemHttpResult? Moved(GenerationJob job, Quote quote) =>
        job.Provider == quote.Provider && job.Model == quote.Model
            ? null
            : Problems.Conflict("quote_mismatch", $"The quoted {quote.Provider} {quote.Model} is not available now.",
                "Ask for a new quote (POST /api/quotes), or submit without one.");

    /// <summary>The accepted job at the quoted price: reserved at it, and never charged another.</summary>
    public static GenerationJob Honour(GenerationJob job, Quote quote) =>
        job with { CreditsReserved = quote.Credits, CostUsd = quote.CostUsd, QuoteId = quote.Id };
}
