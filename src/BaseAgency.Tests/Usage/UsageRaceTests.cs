using BaseAgency.Generations;
using BaseAgency.Organizations;
using BaseAgency.Providers;
using BaseAgency.Tests.Support;
using BaseAgency.Usage;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Usage;

/// <summary>Many writers adding to the same counter rows at once, as jobs finishing together and nodes flushing together do.</summary>
[Collection(AppCollection.Name)]
public sealed class UsageRaceTests(AppFixture app)
{
    [Fact]
    public async Task Counts_committed_at_the_same_moment_all_add_up()
    {
        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        var reports = app.Host.Services.GetRequiredService<UsageReports>();
        var organization = Guid.NewGuid();
        var user = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        using var start = new SemaphoreSlim(0);

        var writers = Enumerable.Range(0, 12).Select(async i =>
        {
            await using var session = store.SessionFor(organization);
            var job = new GenerationJob(Guid.NewGuid(), organization, user, GenerationType.Image, "local", "local-image", new JobInput("race"),
                JobStatus.Completed, false, 5, Guid.NewGuid(), now, CreditsUsed: 3, CostUsd: 0.001m, CompletedAt: now);
            UsageCounters.Count(session, job);
            await start.WaitAsync();
            await session.SaveChangesAsync();
        }).ToList();
        start.Release(12);
        await Task.WhenAll(writers);

        var totals = (await reports.TotalsAsync(organization, day, day, UsageDimension.Model, null, CancellationToken.None)).Single();
        (totals.Key, totals.JobsCompleted, totals.CreditsUsed, totals.CostUsd, totals.Units).ShouldBe(("local-image", 12L, 36L, 0.012m, 12L));
        var own = (await reports.TotalsAsync(organization, day, day, UsageDimension.All, user, CancellationToken.None)).Single();
        own.JobsCompleted.ShouldBe(12);
    }

    [Fact]
    public async Task Two_nodes_flushing_api_requests_together_lose_none()
    {
        var organization = Guid.NewGuid();
        var user = Guid.NewGuid();
        var keys = new[] { Guid.NewGuid(), Guid.NewGuid() };
        await using var other = await app.StartAnotherNodeAsync();
        var nodes = new[] { app.Host, other };

        // Each node answers 50 requests with each key, a fifth of them errors, then both flush at once.
        foreach (var node in nodes)
            foreach (var key in keys)
                for (var i = 0; i < 50; i++)
                    await node.Scenario(s =>
                    {
                        s.Get.Url(i % 5 == 0 ? "/api/no-such-route" : "/api/health");
                        s.ConfigureHttpContext(http => http.User = KeyCaller(organization, user, key));
                        s.IgnoreStatusCode();
                    });
        await Task.WhenAll(nodes.Select(n => n.Services.GetRequiredService<ApiRequestCounts>().FlushAsync(CancellationToken.None)));

        var day = DateOnly.FromDateTime(DateTime.UtcNow);
        var reports = app.Host.Services.GetRequiredService<UsageReports>();
        var byKey = await reports.TotalsAsync(organization, day, day, UsageDimension.ApiKey, null, CancellationToken.None);
        byKey.Select(t => (t.Key, t.ApiRequests, t.ApiErrors)).OrderBy(t => t.Key)
            .ShouldBe(keys.Select(k => ((string?)k.ToString(), 100L, 20L)).OrderBy(t => t.Item1));
        (await reports.TotalsAsync(organization, day, day, UsageDimension.All, user, CancellationToken.None)).Single().ApiRequests.ShouldBe(200);
    }

    private static System.Security.Claims.ClaimsPrincipal KeyCaller(Guid organization, Guid user, Guid key) => new(new System.Security.Claims.ClaimsIdentity(
    [
        new(BaseAgency.Identity.Caller.UserIdClaim, user.ToString()),
        new(BaseAgency.Identity.Caller.OrganizationClaim, organization.ToString()),
        new(BaseAgency.Identity.Caller.ApiKeyClaim, key.ToString()),
    ], "test"));
}
