using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.GetGeneration;

/// <summary>One gallery item with fresh signed links to its files.</summary>
public sealed class GetGenerationEndpoint(IMessageBus bus) : EndpointWithoutRequest<Results<Ok<GenerationView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/generations/{generationId:guid}");
        Policies(Identity.Policies.Viewer);
        Description(d => d.WithName("GetGeneration").WithSummary("A generation").WithTags("Generations").ProducesProblem(404));
    }

    public override async Task<Results<Ok<GenerationView>, ProblemHttpResult>> ExecuteAsync(CancellationToken ct)
    {
        var outcome = await bus.InvokeForTenantAsync<Outcome<GenerationView>>(User.Required().Tenant,
            new GetGeneration(Route<Guid>("generationId")), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value);
    }
}
