using BaseAgency.Organizations;
using BaseAgency.Plans;
using BaseAgency.Tests.Providers;
using BaseAgency.Tests.Support;
using BaseAgency.Usage;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Storage;

/// <summary>The plan's max_storage_gb: a job whose output does not fit in what is left fails storage_full, with its credits back.</summary>
[Collection(ProvidersAppCollection.Name)]
public sealed class StorageCapTests(ProvidersAppFixture app)
{
    /// <summary>Makes the organization's stored bytes its plan's cap less <paramref name="left"/> (no API writes gigabytes quickly).</summary>
    private async Task FillStorageAsync(Guid org, long left)
    {
        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.SessionFor(org);
        var cap = StorageRoom.CapOf((await session.CurrentPlanAsync(org, CancellationToken.None)).Plan.Limits)!.Value;
        session.QueueSqlCommand($"insert into {store.Options.DatabaseSchemaName}.{UsageCounters.StorageTableName} (organization_id, bytes) values (?, ?) " +
            "on conflict (organization_id) do update set bytes = excluded.bytes", org, cap - left);
        await session.SaveChangesAsync();
    }

    [Fact]
    public async Task A_full_organizations_job_fails_storage_full_with_its_credits_back()
    {
        var (org, token) = await app.Host.BusinessCustomerAsync();
        await app.Host.GrantAsync(org, 100, "storage-test");
        await FillStorageAsync(org, left: 10); // less than any image
        var before = await app.Host.AvailableAsync(token);

        var job = await app.Host.WaitForJobAsync(token,
            (await app.Host.SubmitJobAsync(token, "image", new { prompt = "one image too many", provider = "replicate", model = "flux-schnell" })).IdOf());

        await app.Host.ShouldHaveBeenRefusedAsync(job, org, token, before, "storage_full");
    }

    [Fact]
    public async Task An_output_that_fits_in_what_is_left_is_stored()
    {
        var (org, token) = await app.Host.BusinessCustomerAsync();
        await app.Host.GrantAsync(org, 100, "storage-test");
        await FillStorageAsync(org, left: 1024 * 1024);

        var job = await app.Host.WaitForJobAsync(token,
            (await app.Host.SubmitJobAsync(token, "image", new { prompt = "room for one", provider = "replicate", model = "flux-schnell" })).IdOf());

        job["status"]!.GetValue<string>().ShouldBe("completed", job.ToJsonString());
    }

    [Theory]
    [InlineData(1, 0L, 1024L * 1024 * 1024)]
    [InlineData(1, 1024L * 1024 * 1024, 0L)]
    [InlineData(1, 2024L * 1024 * 1024, 0L)]
    public void What_is_left_is_the_cap_less_what_is_used_never_below_zero(int gb, long used, long left) =>
        StorageRoom.Left(StorageRoom.CapOf(Limits(gb)), used).ShouldBe(left);

    [Fact]
    public void A_plan_without_a_storage_limit_leaves_unlimited_room() =>
        StorageRoom.Left(StorageRoom.CapOf(Limits(PlanLimits.Unlimited)), long.MaxValue).ShouldBeNull();

    private static PlanLimits Limits(decimal storageGb) => new(0, 0, 0, "1024x1024", 0, 0, 0, storageGb, 0, 0, false);
}
