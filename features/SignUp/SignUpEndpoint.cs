using BaseAgency.Secrets;
using BaseAgency.Http;
using BaseAgency.Organizations;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.SignUp;

/// <summary>A new organization with its first admin on the Free plan, signed in at once.</summary>
public sealed class SignUpEndpoint(IMessageBus bus) : Endpoint<SignUpRequest, Results<Created<SignUpResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/auth/signup");
        AllowAnonymous();
        Description(d => d.WithName("SignUp").WithSummary("Create an organization and its admin").WithTags("Identity")
            .ProducesProblem(400).ProducesProblem(409));
    }

    public override async Task<Results<Created<SignUpResponse>, ProblemHttpResult>> ExecuteAsync(SignUpRequest req, CancellationToken ct)
    {
        var organizationId = Guid.CreateVersion7();
        var command = new SignUp(organizationId, req.Name, req.Email, new Secret(req.Password), req.OrganizationName);
        Outcome<SignUpResponse> outcome;
        try
        {
            outcome = await bus.InvokeForTenantAsync<Outcome<SignUpResponse>>(Tenancy.TenantOf(organizationId), command, ct);
        }
        catch (Exception e) when (e.IsUniqueViolation())
        {
            // Another sign-up committed this address or this organization's slug a moment ago. Asked again, the
            // handler sees which: the address answers email_taken, the slug gets a suffix.
            outcome = await bus.InvokeForTenantAsync<Outcome<SignUpResponse>>(Tenancy.TenantOf(organizationId), command, ct);
        }
        return outcome.Problem is { } problem ? problem : TypedResults.Created("/api/me", outcome.Value);
    }
}
