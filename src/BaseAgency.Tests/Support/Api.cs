using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using BaseAgency.Features.SignUp;
using BaseAgency.Identity;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Tracking;

namespace BaseAgency.Tests.Support;

/// <summary>Small helpers so each test builds its own data and reads as the behaviour it checks.</summary>
public static class Api
{
    public const string Password = "correct-horse-battery";

    public static string NewEmail(string who = "user") => $"{who}-{Guid.NewGuid():N}@example.com";

    public static SignUpRequest NewSignUp(string? email = null, string? organization = null, string password = Password) =>
        new("Ada Lovelace", email ?? NewEmail("admin"), password, organization ?? $"Agency {Guid.NewGuid():N}"[..20]);

    public static async Task<SignUpResponse> SignUpAsync(this IAlbaHost host, SignUpRequest? request = null)
    {
        var result = await host.Scenario(s =>
        {
            s.Post.Json(request ?? NewSignUp()).ToUrl("/api/auth/signup");
            s.StatusCodeShouldBe(201);
        });
        return (await result.ReadAsJsonAsync<SignUpResponse>())!;
    }

    public static async Task<TokenPair> LoginAsync(this IAlbaHost host, string email, string password = Password)
    {
        var result = await host.Scenario(s =>
        {
            s.Post.Json(new { email, password }).ToUrl("/api/auth/login");
            s.StatusCodeShouldBe(200);
        });
        return (await result.ReadAsJsonAsync<TokenPair>())!;
    }

    public static Scenario As(this Scenario scenario, string accessToken)
    {
        scenario.WithRequestHeader("Authorization", $"Bearer {accessToken}");
        return scenario;
    }

    /// <summary>Moves an organization to another plan directly in the database (billing comes later).</summary>
    public static async Task SetPlanAsync(this IAlbaHost host, Guid organizationId, PlanSlug plan)
    {
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.SessionFor(organizationId);
        var subscription = await session.LoadAsync<Subscription>(organizationId);
        session.Store(subscription! with { Plan = plan });
        await session.SaveChangesAsync();
    }

    /// <summary>Makes a signed-up user a platform operator, as grant-super-admin does.</summary>
    public static async Task MakeSuperAdminAsync(this IAlbaHost host, Guid organizationId, Guid userId)
    {
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.SessionFor(organizationId);
        var user = await session.LoadAsync<User>(userId);
        session.Store(user! with { Role = Role.SuperAdmin });
        await session.SaveChangesAsync();
        await host.Services.GetRequiredService<ZiggyCreatures.Caching.Fusion.IFusionCache>().RemoveAsync(Membership.CacheKey(organizationId, userId));
    }

    /// <summary>Invites <paramref name="role"/> into the admin's organization and signs the new member in.</summary>
    public static async Task<(Guid UserId, string Email, TokenPair Tokens)> AddMemberAsync(this IAlbaHost host, string adminToken, Role role)
    {
        var email = NewEmail(role.ToString().ToLowerInvariant());
        var invited = await host.Scenario(s =>
        {
            s.Post.Json(new { email, role = Caller.ClaimValue(role) }).ToUrl("/api/organization/invitations");
            s.As(adminToken);
            s.StatusCodeShouldBe(201);
        });
        var token = (await invited.ReadAsJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        var accepted = await host.Scenario(s =>
        {
            s.Post.Json(new { token, name = "New Member", password = Password }).ToUrl("/api/auth/accept-invitation");
            s.StatusCodeShouldBe(201);
        });
        var body = (await accepted.ReadAsJsonAsync<JsonObject>())!;
        return (body["user"]!["id"]!.GetValue<Guid>(), email, body["tokens"].Deserialize<TokenPair>(JsonOptions)!);
    }

    public static readonly JsonSerializerOptions JsonOptions = CreateJsonOptions();

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        BaseAgency.Http.Json.Configure(options);
        return options;
    }

    /// <summary>Reads a problem+json answer and checks the fields every problem must carry.</summary>
    public static async Task<JsonObject> ProblemAsync(this IScenarioResult result, int status, string code)
    {
        result.Context.Response.ContentType.ShouldStartWith("application/problem+json");
        var problem = JsonNode.Parse(await result.ReadAsTextAsync())!.AsObject();
        problem["status"]!.GetValue<int>().ShouldBe(status);
        problem["code"]!.GetValue<string>().ShouldBe(code);
        problem["requestId"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        problem["title"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        return problem;
    }
}
