using BaseAgency.Secrets;
using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.Login;

/// <summary>E-mail and password for a token pair.</summary>
public sealed class LoginEndpoint(IMessageBus bus) : Endpoint<LoginRequest, Results<Ok<TokenPair>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/auth/login");
        AllowAnonymous();
        Description(d => d.WithName("Login").WithSummary("Sign in with e-mail and password").WithTags("Identity")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(429));
    }

    public override async Task<Results<Ok<TokenPair>, ProblemHttpResult>> ExecuteAsync(LoginRequest req, CancellationToken ct)
    {
        // No tenant: the address is looked up across organizations, and the handler writes to the one it finds.
        var outcome = await bus.InvokeAsync<Outcome<TokenPair>>(new Login(req.Email, new Secret(req.Password)), ct);
        if (outcome.Problem is not { } problem) return TypedResults.Ok(outcome.Value!);

        if (problem.ProblemDetails.Extensions.TryGetValue(LoginHandler.RetryAfterSeconds, out var wait))
            HttpContext.Response.Headers.RetryAfter = wait?.ToString();
        return problem;
    }
}
