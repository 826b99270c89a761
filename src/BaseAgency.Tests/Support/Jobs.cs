using System.Text.Json.Nodes;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Support;

/// <summary>Submitting generation jobs and waiting for them, the way a client does.</summary>
public static class Jobs
{
    private static readonly string[] Finished = ["completed", "failed", "canceled"];

    public static async Task UseScriptedProviderAsync(this IAlbaHost host)
    {
        await using var session = host.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Store(ScriptedProvider.Price);
        await session.SaveChangesAsync();
    }

    public static async Task<IScenarioResult> SubmitAsync(this IAlbaHost host, string token, string type, object body, int status = 202,
        string? idempotencyKey = null) =>
        await host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl($"/api/generations/{type}");
            s.As(token);
            if (idempotencyKey is not null) s.WithRequestHeader("Idempotency-Key", idempotencyKey);
            s.StatusCodeShouldBe(status);
        });

    public static async Task<JsonObject> SubmitJobAsync(this IAlbaHost host, string token, string type, object body, string? idempotencyKey = null) =>
        await (await host.SubmitAsync(token, type, body, 202, idempotencyKey)).JsonAsync();

    /// <summary>Polls the job until it finishes (or fails the test after <paramref name="timeoutSeconds"/>).</summary>
    public static async Task<JsonObject> WaitForJobAsync(this IAlbaHost host, string token, Guid jobId, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var job = await host.GetAsJson<JsonObject>($"/api/jobs/{jobId}", token);
            if (Finished.Contains(job["status"]!.GetValue<string>())) return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Job {jobId} is still {job["status"]} after {timeoutSeconds} s: {job}");
            await Task.Delay(50);
        }
    }

    /// <summary>Polls the job until <paramref name="reached"/> holds (or fails the test after <paramref name="timeoutSeconds"/>).</summary>
    public static async Task<JsonObject> WaitForJobAsync(this IAlbaHost host, string token, Guid jobId, Func<JsonObject, bool> reached,
        int timeoutSeconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var job = await host.GetAsJson<JsonObject>($"/api/jobs/{jobId}", token);
            if (reached(job)) return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Job {jobId} did not get there in {timeoutSeconds} s: {job}");
            await Task.Delay(20);
        }
    }

    /// <summary>The statement lines of one job (its hold, and its release, capture or refund), oldest first.</summary>
    public static async Task<List<JsonObject>> StatementOfJobAsync(this IAlbaHost host, string token, Guid jobId) =>
        (await host.GetAsJson<JsonObject>("/api/credits/transactions?limit=200", token))["items"]!.AsArray()
        .Select(i => i!.AsObject()).Where(i => i["reference"]?.GetValue<string>() == $"job:{jobId}").Reverse().ToList();

    public static Guid IdOf(this JsonObject job) => job["id"]!.GetValue<Guid>();

    /// <summary>The job as stored, with what only operators see (its cost to the platform).</summary>
    public static async Task<BaseAgency.Generations.GenerationJob> StoredJobAsync(this IAlbaHost host, Guid jobId)
    {
        await using var session = host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Query<BaseAgency.Generations.GenerationJob>().SingleAsync(j => j.AnyTenant() && j.Id == jobId);
    }

    public static async Task<int> AvailableAsync(this IAlbaHost host, string token) =>
        (await host.GetAsJson<JsonObject>("/api/credits/balance", token))["available"]!.GetValue<int>();
}
