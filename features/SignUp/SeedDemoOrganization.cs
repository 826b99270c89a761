using BaseAgency.Http;
using BaseAgency.Organizations;
using BaseAgency.Secrets;
using Wolverine;

namespace BaseAgency.Features.SignUp;

/// <summary>
/// Development only: signs up a demo organization, so a newcomer can sign in at once. Runs before the
/// start-up banner, through the same SignUp command, so the demo has its credits when the banner prints.
/// </summary>
public sealed class SeedDemoOrganization(IServiceScopeFactory scopes, ILogger<SeedDemoOrganization> log) : IHostedService
{
    public const string Email = "demo@baseagency.local";
    public const string Password = "demo-password-123";
    public const string Name = "BASE Demo Agency";

    public async Task StartAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope(); // the message bus is scoped; this service is not
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        var organizationId = Guid.CreateVersion7();
        var outcome = await bus.InvokeForTenantAsync<Outcome<SignUpResponse>>(Tenancy.TenantOf(organizationId),
            new SignUp(organizationId, "Demo Admin", Email, new Secret(Password), Name), ct);
        // email_taken: the demo was signed up on an earlier start.
        if (outcome.Problem?.ProblemDetails is { } problem && !(problem.Extensions.TryGetValue("code", out var code) && code is "email_taken"))
            log.LogWarning("The demo organization was not created: {Problem}", problem.Title);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
