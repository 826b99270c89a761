using BaseAgency.Secrets;
using FastEndpoints;
using Wolverine;

namespace BaseAgency.Features.Logout;

/// <summary>Always 204, so it tells nothing about the token.</summary>
public sealed class LogoutEndpoint(IMessageBus bus) : Endpoint<LogoutRequest>
{
    public override void Configure()
    {
        Post("/auth/logout");
        AllowAnonymous();
        Description(d => d.WithName("Logout").WithSummary("Revoke a refresh token and its family").WithTags("Identity")
            .Produces(204).ProducesProblem(400), clearDefaults: true);
    }

    public override async Task HandleAsync(LogoutRequest req, CancellationToken ct)
    {
        // Refresh tokens are platform-wide documents: no tenant to name.
        await bus.InvokeAsync(new Logout(new Secret(req.RefreshToken)), ct);
        await Send.NoContentAsync(ct);
    }
}
