using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.CreateQuote;

/// <summary>A quote binds its price for Generation:QuoteLifetime (15 minutes), on the app whose clock the tests move.</summary>
[Collection(ClockedAppCollection.Name)]
public sealed class QuoteExpiryTests(ClockedAppFixture app)
{
    [Fact]
    public async Task A_quote_is_honoured_until_it_expires_and_refused_after()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var body = new { prompt = "a cat before the deadline", aspectRatio = "1:1" };
        var honoured = await CreateQuoteTests.QuoteAsync(app.Host, token, "image", body);
        var expiring = await CreateQuoteTests.QuoteAsync(app.Host, token, "image", body);

        app.Clock.Advance(TimeSpan.FromMinutes(14));
        token = (await app.Host.LoginAsync(customer.User.Email)).AccessToken;
        await app.Host.SubmitJobAsync(token, "image", CreateQuoteTests.With(body, honoured));

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        token = (await app.Host.LoginAsync(customer.User.Email)).AccessToken;
        await (await app.Host.SubmitAsync(token, "image", CreateQuoteTests.With(body, expiring), 409)).ProblemAsync(409, "quote_expired");
        (await app.Host.AvailableAsync(token)).ShouldBe(50 - honoured["credits"]!.GetValue<int>());
    }
}
