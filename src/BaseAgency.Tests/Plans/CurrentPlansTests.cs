using BaseAgency.Caching;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace BaseAgency.Tests.Plans;

[Collection(AppCollection.Name)]
public sealed class CurrentPlansTests(AppFixture app)
{
    [Fact]
    public async Task A_changed_subscription_reaches_the_cached_plan_of_every_node_at_commit()
    {
        await using var other = await app.StartAnotherNodeAsync();
        await other.Services.GetRequiredService<CacheInvalidationListener>().Listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var admin = await app.Host.SignUpAsync();
        var organization = admin.Organization.Id;
        var here = app.Host.Services.GetRequiredService<CurrentPlans>();
        var there = other.Services.GetRequiredService<CurrentPlans>();
        (await here.ForAsync(organization, CancellationToken.None))!.Slug.ShouldBe(PlanSlug.Free);
        (await there.ForAsync(organization, CancellationToken.None))!.Slug.ShouldBe(PlanSlug.Free);

        await app.Host.SetPlanAsync(organization, PlanSlug.Business);

        (await here.ForAsync(organization, CancellationToken.None))!.Slug.ShouldBe(PlanSlug.Business);
        var deadline = DateTime.UtcNow.AddSeconds(1);
        while ((await there.ForAsync(organization, CancellationToken.None))!.Slug != PlanSlug.Business && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        (await there.ForAsync(organization, CancellationToken.None))!.Slug.ShouldBe(PlanSlug.Business);
    }
}
