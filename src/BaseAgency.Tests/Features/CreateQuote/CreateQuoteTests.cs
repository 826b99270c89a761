using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Features.CreateQuote;

/// <summary>A quote prices a request as its submission would; a submission carrying it pays exactly that, once.</summary>
[Collection(AppCollection.Name)]
public sealed class CreateQuoteTests(AppFixture app)
{
    [Fact]
    public async Task A_quoted_job_is_reserved_and_charged_the_quote_even_after_the_price_rises()
    {
        var model = await NewModelAsync(app.Host, creditsPerImage: 7);
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var body = new { prompt = "a quoted cat", provider = ScriptedProvider.ProviderName, model, width = 512, height = 512 };

        var quote = await QuoteAsync(app.Host, token, "image", body);
        quote["credits"]!.GetValue<int>().ShouldBe(11); // 7 × 1.5, rounded up
        quote["breakdown"]!["base"]!.GetValue<decimal>().ShouldBe(7);
        quote["breakdown"]!["multiplier"]!.GetValue<decimal>().ShouldBe(1.5m);
        quote["breakdown"]!["units"]!.GetValue<decimal>().ShouldBe(1);
        quote["provider"]!.GetValue<string>().ShouldBe(ScriptedProvider.ProviderName);
        quote["expiresAt"]!.GetValue<DateTimeOffset>().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(14));
        (await app.Host.AvailableAsync(token)).ShouldBe(50); // a quote reserves nothing

        await SetPriceAsync(app.Host, model, creditsPerImage: 20);
        var job = await app.Host.SubmitJobAsync(token, "image", With(body, quote));
        job["creditsReserved"]!.GetValue<int>().ShouldBe(11);
        (await app.Host.WaitForJobAsync(token, job.IdOf()))["status"]!.GetValue<string>().ShouldBe("completed");
        (await app.Host.AvailableAsync(token)).ShouldBe(39);
        (await app.Host.StoredJobAsync(job.IdOf())).QuoteId.ShouldBe(quote.IdOf());

        // Without the quote, the same request pays today's price.
        var unquoted = await app.Host.SubmitJobAsync(token, "image", body);
        unquoted["creditsReserved"]!.GetValue<int>().ShouldBe(30);
    }

    [Fact]
    public async Task A_quote_of_another_request_or_organization_or_none_at_all_is_refused_and_charges_nothing()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var body = new { prompt = "a cat", aspectRatio = "1:1" };
        var quote = await QuoteAsync(app.Host, token, "image", body);

        await (await app.Host.SubmitAsync(token, "image", new { prompt = "a dog", aspectRatio = "1:1", quoteId = quote.IdOf() }, 409))
            .ProblemAsync(409, "quote_mismatch");
        await (await app.Host.SubmitAsync(token, "image", new { prompt = "a cat", aspectRatio = "16:9", quoteId = quote.IdOf() }, 409))
            .ProblemAsync(409, "quote_mismatch");
        await (await app.Host.SubmitAsync(token, "text", new { prompt = "a cat", quoteId = quote.IdOf() }, 409)).ProblemAsync(409, "quote_mismatch");
        await (await app.Host.SubmitAsync(token, "image", With(body, Guid.NewGuid()), 404)).ProblemAsync(404, "not_found");
        var stranger = await app.Host.SignUpAsync();
        await (await app.Host.SubmitAsync(stranger.Tokens.AccessToken, "image", With(body, quote), 404)).ProblemAsync(404, "not_found");
        await (await app.Host.SubmitAsync(token, "image", new { prompt = "a cat", quoteId = "not-a-guid" }, 400)).ProblemAsync(400, "malformed_json");

        (await app.Host.AvailableAsync(token)).ShouldBe(50);
        (await app.Host.AvailableAsync(stranger.Tokens.AccessToken)).ShouldBe(50);
        (await app.Host.SubmitJobAsync(token, "image", With(body, quote)))["creditsReserved"]!.GetValue<int>().ShouldBe(quote["credits"]!.GetValue<int>());
    }

    [Fact]
    public async Task Eight_parallel_submissions_with_one_quote_make_one_job()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var body = new { prompt = "one of eight", aspectRatio = "1:1" };
        var quote = await QuoteAsync(app.Host, token, "image", body);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.Host.Scenario(s =>
        {
            s.Post.Json(With(body, quote)).ToUrl("/api/generations/image");
            s.As(token);
            s.IgnoreStatusCode();
        })));

        answers.Count(a => a.Context.Response.StatusCode == 202).ShouldBe(1);
        foreach (var refused in answers.Where(a => a.Context.Response.StatusCode != 202)) await refused.ProblemAsync(409, "quote_used");
        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await session.Query<BaseAgency.Generations.GenerationJob>().CountAsync(j => j.AnyTenant() && j.QuoteId == quote.IdOf())).ShouldBe(1);
        (await app.Host.AvailableAsync(token)).ShouldBe(50 - quote["credits"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_replayed_keyed_submission_returns_its_job_and_another_request_finds_the_quote_used()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var body = new { text = "a quoted line of speech" };
        await app.Host.SetPlanAsync(customer.Organization.Id, PlanSlug.Starter);
        var quote = await QuoteAsync(app.Host, token, "audio", body);

        var key = Guid.NewGuid().ToString();
        var first = await app.Host.SubmitJobAsync(token, "audio", With(body, quote), key);
        var again = await app.Host.SubmitAsync(token, "audio", With(body, quote), 202, key);
        (await again.JsonAsync()).IdOf().ShouldBe(first.IdOf());
        again.Context.Response.Headers["Idempotent-Replayed"].ToString().ShouldBe("true");
        await (await app.Host.SubmitAsync(token, "audio", With(body, quote), 409, Guid.NewGuid().ToString())).ProblemAsync(409, "quote_used");
        await (await app.Host.SubmitAsync(token, "audio", With(body, quote), 409)).ProblemAsync(409, "quote_used");
    }

    [Fact]
    public async Task Quotes_are_refused_as_submissions_are_and_odd_input_is_400()
    {
        var customer = await app.Host.SignUpAsync(); // Free: no video, images up to 512x512
        var token = customer.Tokens.AccessToken;

        await (await QuoteScenarioAsync(app.Host, token, new { type = "video", sourceImage = "https://example.com/cat.png", duration = 5 }, 403))
            .ProblemAsync(403, "plan_feature_unavailable");
        await (await QuoteScenarioAsync(app.Host, token, new { type = "image", prompt = "x", width = 1024, height = 1024 }, 403))
            .ProblemAsync(403, "resolution_above_plan");
        await (await QuoteScenarioAsync(app.Host, token, new { type = "image", prompt = "x", model = "no-such-model" }, 422)).ProblemAsync(422, "unknown_model");
        await (await QuoteScenarioAsync(app.Host, token, new { type = "text", prompt = "x", model = "local-image" }, 422))
            .ProblemAsync(422, "model_type_mismatch");

        var text = await QuoteAsync(app.Host, token, "text", new { prompt = "hello there" });
        text["type"]!.GetValue<string>().ShouldBe("text");
        text["breakdown"]!["units"]!.GetValue<decimal>().ShouldBeGreaterThan(0.5m); // the default 500 max tokens and the prompt

        foreach (var odd in new object[]
                 {
                     new { prompt = "x" }, new { type = "banana", prompt = "x" }, new { type = "image" }, new { type = "image", prompt = "a\0b" },
                     new { type = "image", prompt = "x", width = 99999, height = 1 }, new { type = "video", sourceImage = "http://a.example/x.png", duration = 5 },
                     new { type = "video", sourceImage = "https://a.example/x.png" }, new { type = "audio", text = new string('a', 5001) },
                     new { type = "text", prompt = "x", maxTokens = -1 }, new { type = 7, prompt = "x" },
                 })
            (await QuoteScenarioAsync(app.Host, token, odd, 400)).Context.Response.StatusCode.ShouldBe(400);
        (await QuoteScenarioAsync(app.Host, token, "not json", 400)).Context.Response.StatusCode.ShouldBe(400);
        (await app.Host.AvailableAsync(token)).ShouldBe(50);
    }

    public static async Task<JsonObject> QuoteAsync(IAlbaHost host, string token, string type, object body)
    {
        var request = JsonSerializer.SerializeToNode(body, Api.JsonOptions)!.AsObject();
        request["type"] = type;
        return await (await QuoteScenarioAsync(host, token, request, 201)).JsonAsync();
    }

    public static async Task<IScenarioResult> QuoteScenarioAsync(IAlbaHost host, string token, object body, int status) =>
        await host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl("/api/quotes");
            s.As(token);
            s.StatusCodeShouldBe(status);
        });

    public static JsonObject With(object body, JsonObject quote) => With(body, quote.IdOf());

    public static JsonObject With(object body, Guid quoteId)
    {
        var request = JsonSerializer.SerializeToNode(body, Api.JsonOptions)!.AsObject();
        request["quoteId"] = quoteId;
        return request;
    }

    /// <summary>A model of the scripted provider of its own, whose price a test may change without disturbing others.</summary>
    private static async Task<string> NewModelAsync(IAlbaHost host, decimal creditsPerImage)
    {
        var model = $"quoted-{Guid.NewGuid():N}";
        await SetPriceAsync(host, model, creditsPerImage);
        return model;
    }

    private static async Task SetPriceAsync(IAlbaHost host, string model, decimal creditsPerImage)
    {
        await using var session = host.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Store(new PriceRow(PriceRow.IdOf(ScriptedProvider.ProviderName, model), ScriptedProvider.ProviderName, model, "generate",
            creditsPerImage, 0.01m, PriceUnit.Image, new() { [512] = 1.5m, [1024] = 2 }));
        await session.SaveChangesAsync();
    }
}
