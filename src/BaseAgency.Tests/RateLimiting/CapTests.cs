using System.Net;
using System.Net.Http.Headers;
using BaseAgency.Tests.Support;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.RateLimiting;

[Collection(LimitedAppCollection.Name)]
public sealed class CapTests(LimitedAppFixture app)
{
    private static readonly object WaitForMe = new { prompt = "wait for me", provider = "scripted", model = "scripted-image", width = 512, height = 512 };

    [Fact]
    public async Task A_free_organizations_second_job_waits_while_its_first_runs_and_another_organizations_job_runs_meanwhile()
    {
        await app.Host.UseScriptedProviderAsync();
        var provider = app.Host.Services.GetRequiredService<ScriptedProvider>();
        var free = (await app.Host.SignUpFromNewIpAsync()).Tokens.AccessToken;
        var other = (await app.Host.SignUpFromNewIpAsync()).Tokens.AccessToken;

        var first = (await app.Host.SubmitJobAsync(free, "image", WaitForMe)).IdOf();
        await app.Host.WaitForJobAsync(free, first, j => j["status"]!.GetValue<string>() == "processing");
        var second = (await app.Host.SubmitJobAsync(free, "image", Limited.QuickImage)).IdOf();
        var meanwhile = (await app.Host.SubmitJobAsync(other, "image", Limited.QuickImage)).IdOf();

        (await app.Host.WaitForJobAsync(other, meanwhile))["status"]!.GetValue<string>().ShouldBe("completed");
        (await app.Host.GetAsJson<System.Text.Json.Nodes.JsonObject>($"/api/jobs/{second}", free))["status"]!.GetValue<string>().ShouldBe("queued");
        provider.CallsFor(second).ShouldBe(0);

        provider.Release(first);
        (await app.Host.WaitForJobAsync(free, first))["status"]!.GetValue<string>().ShouldBe("completed");
        (await app.Host.WaitForJobAsync(free, second))["status"]!.GetValue<string>().ShouldBe("completed");
    }

    [Fact]
    public async Task The_running_job_cap_holds_across_nodes()
    {
        await app.Host.UseScriptedProviderAsync();
        await using var other = await app.StartAnotherNodeAsync();
        var free = (await app.Host.SignUpFromNewIpAsync()).Tokens.AccessToken;

        var first = (await app.Host.SubmitJobAsync(free, "image", WaitForMe)).IdOf();
        await app.Host.WaitForJobAsync(free, first, j => j["status"]!.GetValue<string>() == "processing");
        var second = (await other.SubmitJobAsync(free, "image", Limited.QuickImage)).IdOf();
        await Task.Delay(TimeSpan.FromSeconds(1)); // ten tries of the other node's worker, each at the cap

        (await other.GetAsJson<System.Text.Json.Nodes.JsonObject>($"/api/jobs/{second}", free))["status"]!.GetValue<string>().ShouldBe("queued");
        other.Services.GetRequiredService<ScriptedProvider>().CallsFor(second).ShouldBe(0);

        app.Host.Services.GetRequiredService<ScriptedProvider>().Release(first);
        (await app.Host.WaitForJobAsync(free, first))["status"]!.GetValue<string>().ShouldBe("completed");
        (await other.WaitForJobAsync(free, second))["status"]!.GetValue<string>().ShouldBe("completed");
    }

    [Fact]
    public async Task Event_streams_beyond_the_user_and_organization_caps_are_refused()
    {
        await app.Host.UseScriptedProviderAsync();
        var customer = await app.Host.SignUpFromNewIpAsync();
        await app.Host.SetPlanAsync(customer.Organization.Id, BaseAgency.Plans.PlanSlug.Starter);
        var admin = customer.Tokens.AccessToken;
        var colleague = (await app.Host.AddMemberAsync(admin, BaseAgency.Identity.Role.Member)).Tokens.AccessToken;
        var job = (await app.Host.SubmitJobAsync(admin, "image", WaitForMe)).IdOf();
        using var client = app.Host.Server.CreateClient();

        async Task<HttpResponseMessage> Watch(string token)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{job}/events");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        }

        var open = new List<HttpResponseMessage>();
        try
        {
            open.Add(await Watch(admin));
            open.Add(await Watch(admin));
            open.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
            using (var third = await Watch(admin))
            {
                third.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests); // the user's cap of 2
                (await third.Content.ReadAsStringAsync()).ShouldContain("too_many_streams");
            }

            open.Add(await Watch(colleague));
            open[^1].StatusCode.ShouldBe(HttpStatusCode.OK);
            using (var fourth = await Watch(colleague))
                fourth.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests); // the organization's cap of 3
        }
        finally
        {
            app.Host.Services.GetRequiredService<ScriptedProvider>().Release(job);
            foreach (var response in open) response.Dispose();
        }
    }
}
