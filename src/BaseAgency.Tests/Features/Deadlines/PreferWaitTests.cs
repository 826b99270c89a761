using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Http;
using BaseAgency.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Features.Deadlines;

/// <summary>Prefer: wait on submission: the preference's grammar, then 200 for a job that finishes in time and 202 for one that does not.</summary>
[Collection(AppCollection.Name)]
public sealed class PreferWaitTests(AppFixture app)
{
    [Theory]
    [InlineData("wait", 60)]
    [InlineData("wait=5", 5)]
    [InlineData("WAIT=5", 5)]
    [InlineData("wait=\"7\"", 7)]
    [InlineData("wait=600", 60)] // longer than we hold a request: honoured as far as we go
    [InlineData("respond-async, wait=3", 3)]
    [InlineData("wait=3; foo=bar", 3)]
    [InlineData("wait=3, wait=9", 3)] // the first one counts
    public void A_wait_is_read_from_the_preferences(string header, int seconds) =>
        Prefer.WaitOf(new HeaderDictionary { ["Prefer"] = header }).ShouldBe(seconds);

    [Theory]
    [InlineData("wait=0")]
    [InlineData("wait=-1")]
    [InlineData("wait=soon")]
    [InlineData("wait=1.5")]
    [InlineData("wait=")]
    [InlineData("wait=x, wait=5")] // a malformed wait is not replaced by a later one
    [InlineData("respond-async")]
    [InlineData("waiting=5")]
    [InlineData("")]
    public void Anything_else_is_ignored(string header) => Prefer.WaitOf(new HeaderDictionary { ["Prefer"] = header }).ShouldBeNull();

    [Fact]
    public void No_header_is_no_wait() => Prefer.WaitOf(new HeaderDictionary()).ShouldBeNull();

    [Fact]
    public async Task A_job_that_finishes_within_the_wait_is_answered_200_finished()
    {
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var result = await app.Host.SubmitImageAsync(token, new { prompt = "a quick one", width = 512, height = 512 }, "Prefer", "wait=5", 200);
        result.Context.Response.Headers["Preference-Applied"].ToString().ShouldBe("wait=5");
        var job = await result.JsonAsync();
        job["status"]!.GetValue<string>().ShouldBe("completed");
        job["generationId"].ShouldNotBeNull();
        job["creditsUsed"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task A_job_still_running_after_the_wait_is_answered_202_as_without_it()
    {
        await app.Host.UseScriptedProviderAsync();
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var result = await app.Host.SubmitImageAsync(token,
            new { prompt = "wait for me", provider = "scripted", model = "scripted-image", width = 512, height = 512 }, "Prefer", "wait=1", 202);
        result.Context.Response.Headers["Preference-Applied"].ToString().ShouldBe("wait=1");
        var job = await result.JsonAsync();
        job["status"]!.GetValue<string>().ShouldBeOneOf("queued", "processing");
        result.Context.Response.Headers.Location.ToString().ShouldBe($"/api/jobs/{job.IdOf()}");

        app.Host.Services.GetRequiredService<ScriptedProvider>().Release(job.IdOf());
        (await app.Host.WaitForJobAsync(token, job.IdOf()))["status"]!.GetValue<string>().ShouldBe("completed");
    }

    [Fact]
    public async Task A_job_that_fails_within_the_wait_is_answered_200_failed()
    {
        await app.Host.UseScriptedProviderAsync();
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var job = await (await app.Host.SubmitImageAsync(token,
            new { prompt = "content policy", provider = "scripted", model = "scripted-image", width = 512, height = 512 }, "Prefer", "wait", 200)).JsonAsync();
        job["status"]!.GetValue<string>().ShouldBe("failed");
        job["errorCode"]!.GetValue<string>().ShouldBe("content_policy");
    }

    [Fact]
    public async Task A_malformed_preference_is_ignored_and_the_answer_is_202_at_once()
    {
        await app.Host.UseScriptedProviderAsync();
        var customer = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        var result = await app.Host.SubmitImageAsync(token,
            new { prompt = "wait for me", provider = "scripted", model = "scripted-image", width = 512, height = 512 }, "Prefer", "wait=soon", 202);
        result.Context.Response.Headers.ContainsKey("Preference-Applied").ShouldBeFalse();
        var job = await result.JsonAsync();
        app.Host.Services.GetRequiredService<ScriptedProvider>().Release(job.IdOf());
        await app.Host.WaitForJobAsync(token, job.IdOf());
    }

    [Fact]
    public async Task The_four_submissions_document_both_headers()
    {
        var doc = await (await app.Host.Scenario(s => s.Get.Url("/openapi/v1.json"))).JsonAsync();
        foreach (var type in new[] { "image", "video", "audio", "text" })
        {
            var op = doc["paths"]![$"/api/generations/{type}"]!["post"]!;
            var headers = op["parameters"]!.AsArray().Where(p => p!["in"]!.GetValue<string>() == "header").Select(p => p!["name"]!.GetValue<string>());
            headers.ShouldContain("Cancel-After", type);
            headers.ShouldContain("Prefer", type);
            op["responses"]!["200"].ShouldNotBeNull(type);
            op["responses"]!["202"].ShouldNotBeNull(type);
        }
    }
}
