using BaseAgency.Secrets;
using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.RefreshSession;

/// <summary>A refresh token for a new token pair.</summary>
public sealed class RefreshSessionEndpoint(IMessageBus bus) : Endpoint<RefreshRequest, Results<Ok<TokenPair>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/auth/refresh");
        AllowAnonymous();
        Description(d => d.WithName("RefreshSession").WithSummary("Rotate a refresh token for a new token pair").WithTags("Identity")
            .ProducesProblem(400).ProducesProblem(401));
    }

    public override async Task<Results<Ok<TokenPair>, ProblemHttpResult>> ExecuteAsync(RefreshRequest req, CancellationToken ct)
    {
        // No tenant: the token is a platform-wide document that names its organization.
        var outcome = await bus.InvokeAsync<Outcome<TokenPair>>(new RefreshSession(new Secret(req.RefreshToken)), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Ok(outcome.Value!);
    }
}
