using BaseAgency.Generations;
using BaseAgency.Providers;

namespace BaseAgency.Tests.Features.CreateQuote;

/// <summary>Whether a submission may use a quote, and what the quote recognizes as the same request.</summary>
public sealed class QuoteRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly GenerationOptions Options = new();

    private static JobOrder Order(JobInput input, string? model = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), null, GenerationType.Image, "local", model, input, AllowFailover: false);

    private static Quote QuoteOf(JobOrder order, DateTimeOffset expiresAt) =>
        new(Guid.NewGuid(), order.OrganizationId, order.UserId, order.Type, "local", "local-image", QuoteRules.Fingerprint(order, Options), 3, 0,
            new QuoteBreakdown(3, 1, 1), 0, Now.AddMinutes(-1), expiresAt);

    [Fact]
    public void A_valid_quote_of_the_same_request_is_honoured()
    {
        var order = Order(JobInputs.Image("a cat", null, null, "1:1", null, null));
        QuoteRules.Refusal(QuoteOf(order, Now.AddMinutes(1)), used: false, QuoteRules.Fingerprint(order, Options), Now).ShouldBeNull();
    }

    [Fact]
    public void Each_refusal_has_its_own_problem()
    {
        var order = Order(JobInputs.Image("a cat", null, null, "1:1", null, null));
        var fingerprint = QuoteRules.Fingerprint(order, Options);
        var quote = QuoteOf(order, Now.AddMinutes(1));

        QuoteRules.Refusal(null, used: false, fingerprint, Now)!.ProblemDetails.Status.ShouldBe(404);
        QuoteRules.Refusal(quote, used: true, fingerprint, Now)!.ProblemDetails.Extensions["code"].ShouldBe("quote_used");
        QuoteRules.Refusal(quote, used: false, fingerprint, quote.ExpiresAt)!.ProblemDetails.Extensions["code"].ShouldBe("quote_expired");
        QuoteRules.Refusal(quote, used: false, "another", Now)!.ProblemDetails.Extensions["code"].ShouldBe("quote_mismatch");
    }

    [Fact]
    public void The_fingerprint_follows_what_is_made_and_priced_not_how_it_is_filed()
    {
        var input = JobInputs.Image("a cat", null, null, "1:1", null, null);
        var fingerprint = QuoteRules.Fingerprint(Order(input), Options);

        // Defaults filled in, spacing trimmed, seed, project and tags left out.
        QuoteRules.Fingerprint(Order(JobInputs.Image("  a cat ", null, null, "1:1", null, null), "local-image"), Options).ShouldBe(fingerprint);
        QuoteRules.Fingerprint(Order(input with { Seed = 42, ProjectId = Guid.NewGuid(), Tags = ["x"] }), Options).ShouldBe(fingerprint);

        QuoteRules.Fingerprint(Order(input with { Prompt = "a dog" }), Options).ShouldNotBe(fingerprint);
        QuoteRules.Fingerprint(Order(input with { AspectRatio = "16:9" }), Options).ShouldNotBe(fingerprint);
        QuoteRules.Fingerprint(Order(input, "local-image-hd"), Options).ShouldNotBe(fingerprint);
        QuoteRules.Fingerprint(Order(input) with { Type = GenerationType.Video }, Options).ShouldNotBe(fingerprint);
        QuoteRules.Fingerprint(Order(input) with { AllowFailover = true }, Options).ShouldNotBe(fingerprint);
    }

    [Fact]
    public void An_honoured_job_is_reserved_at_the_quoted_price()
    {
        var order = Order(JobInputs.Image("a cat", null, null, "1:1", null, null));
        var quote = QuoteOf(order, Now.AddMinutes(1));
        var job = new GenerationJob(Guid.NewGuid(), order.OrganizationId, order.UserId, GenerationType.Image, "local", "local-image", order.Input,
            JobStatus.Queued, false, 9, Guid.NewGuid(), Now, CostUsd: 0.5m);

        QuoteRules.Moved(job, quote).ShouldBeNull();
        QuoteRules.Moved(job with { Provider = "openai", Model = "dall-e-3" }, quote)!.ProblemDetails.Extensions["code"].ShouldBe("quote_mismatch");
        var honoured = QuoteRules.Honour(job, quote);
        honoured.CreditsReserved.ShouldBe(3);
        honoured.CostUsd.ShouldBe(0);
        honoured.QuoteId.ShouldBe(quote.Id);
    }
}
