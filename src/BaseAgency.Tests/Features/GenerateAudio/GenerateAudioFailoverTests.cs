using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.GenerateAudio;

[Collection(ProvidersAppCollection.Name)]
public sealed class GenerateAudioFailoverTests(ProvidersAppFixture app)
{
    [Fact]
    public async Task A_request_that_allows_failover_moves_to_an_equivalent_model_and_pays_its_price()
    {
        var (_, token) = await app.Host.BusinessCustomerAsync();

        // ElevenLabs has no key here; the configured equivalent is OpenAI's tts-1.
        var job = await app.Host.WaitForJobAsync(token, (await app.Host.SubmitJobAsync(token, "audio",
            new { text = "Fall back gracefully", provider = "elevenlabs", allowFailover = true })).IdOf());
        job["status"]!.GetValue<string>().ShouldBe("completed");
        job["provider"]!.GetValue<string>().ShouldBe("openai");
        job["model"]!.GetValue<string>().ShouldBe("tts-1");
        (await app.Host.StoredJobAsync(job.IdOf())).CostUsd.ShouldBe(0.0005m); // 2 s of tts-1 at $0.015 a minute
        app.Fakes.Requests.ShouldContain(r => r.Path == "/openai/v1/audio/speech" && r.Body!["input"]!.GetValue<string>() == "Fall back gracefully");
    }
}
