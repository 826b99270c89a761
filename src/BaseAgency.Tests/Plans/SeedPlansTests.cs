using BaseAgency.Plans;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;

namespace BaseAgency.Tests.Plans;

[Collection(AppCollection.Name)]
public sealed class SeedPlansTests(AppFixture app)
{
    [Fact]
    public async Task A_plan_stored_before_the_running_job_cap_gets_the_seeds_cap_and_an_operators_own_value_stays()
    {
        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        var id = Plan.IdOf(PlanSlug.Business);
        await SqlAsync($"update agency.mt_doc_plan set data = data #- '{{limits,maxRunningJobs}}' where id = '{id}'");

        await new SeedPlans().Populate(store, CancellationToken.None);
        (await LoadAsync(store, id)).Limits.MaxRunningJobs.ShouldBe(10);

        await SqlAsync($"update agency.mt_doc_plan set data = jsonb_set(data, '{{limits,maxRunningJobs}}', '7') where id = '{id}'");
        await new SeedPlans().Populate(store, CancellationToken.None);
        (await LoadAsync(store, id)).Limits.MaxRunningJobs.ShouldBe(7);
        await SqlAsync($"update agency.mt_doc_plan set data = jsonb_set(data, '{{limits,maxRunningJobs}}', '10') where id = '{id}'");
    }

    private static async Task<Plan> LoadAsync(IDocumentStore store, string id)
    {
        await using var session = store.QuerySession();
        return (await session.LoadAsync<Plan>(id))!;
    }

    private async Task SqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        (await command.ExecuteNonQueryAsync()).ShouldBe(1);
    }
}
