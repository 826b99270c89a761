using System.Globalization;
using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using Marten;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;

namespace BaseAgency.RateLimiting;

/// <summary>One limit a request counts against: a named policy, whose counter it is, how many in what window.</summary>
public sealed record LimitRule(string Policy, string Key, int Limit, TimeSpan Window);

/// <summary>What the limiter needs to know about a request, read once from its HTTP context.</summary>
/// <param name="ApiKeyRequestsPerMinute">The key's own limit, when the request is made with a key that sets one.</param>
public sealed record LimitedRequest(bool IsSubmission, bool IsAnonymousAuth, Guid? UserId, Guid? OrganizationId, bool WithApiKey, string ClientIp,
    Guid? ApiKeyId = null, int? ApiKeyRequestsPerMinute = null);

/// <summary>
/// Request limits, applied after authentication: per organization by plan (generation submissions from any channel
/// and every API-key request), per signed-in user for browsing with a session token, per client IP on the anonymous
/// identity endpoints. Every limited response carries RateLimit-Policy/RateLimit (IETF draft) and X-RateLimit-*;
/// a refusal is a 429 <c>rate_limited</c> problem with Retry-After.
/// The counting is System.Threading.RateLimiting's (<see cref="IRequestLimiter"/>). ASP.NET Core's RateLimiter middleware
/// is not used: it gives no hook on success, where the headers are due, and takes one limiter per request, not several.
/// </summary>
public static class RateLimits
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private static readonly string[] SubmissionPaths = ["/api/generations/image", "/api/generations/video", "/api/generations/audio", "/api/generations/text"];
    private static readonly string[] AnonymousAuthPaths = ["/api/auth/signup", "/api/auth/login", "/api/auth/refresh", "/api/auth/accept-invitation"];

    public static bool IsSubmission(string method, string path) =>
        HttpMethods.IsPost(method) && SubmissionPaths.Contains(path.TrimEnd('/'), StringComparer.OrdinalIgnoreCase);

    public static bool IsAnonymousAuth(string method, string path) =>
        HttpMethods.IsPost(method) && AnonymousAuthPaths.Contains(path.TrimEnd('/'), StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether a request counts for its organization's plan limits (and so needs them loaded).</summary>
    public static bool CountsForOrganization(LimitedRequest r) => r.OrganizationId is not null && (r.IsSubmission || r.WithApiKey);

    /// <summary>
    /// The one place that says which limits a request counts against. <paramref name="plan"/> is the organization's
    /// when <see cref="CountsForOrganization"/>; an unlimited (−1) plan limit adds no rule.
    /// </summary>
    public static IReadOnlyList<LimitRule> RulesFor(LimitedRequest r, PlanLimits? plan, RateLimitOptions options)
    {
        var rules = new List<LimitRule>();
        if (r.IsAnonymousAuth) rules.Add(new("ip", $"ip:{r.ClientIp}", options.IpRequestsPerMinute, Minute));
        if (r.UserId is { } user && !r.WithApiKey) rules.Add(new("user", $"user:{user:N}", options.UserRequestsPerMinute, Minute));
        if (r is { ApiKeyId: { } key, ApiKeyRequestsPerMinute: { } perMinute }) rules.Add(new("api-key", $"key:{key:N}", perMinute, Minute));
        if (plan is not null && CountsForOrganization(r))
        {
            if (plan.ApiRequestsPerMinute != PlanLimits.Unlimited)
                rules.Add(new("organization-minute", $"org-minute:{r.OrganizationId:N}", plan.ApiRequestsPerMinute, Minute));
            if (plan.ApiRequestsPerDay != PlanLimits.Unlimited)
                rules.Add(new("organization-day", $"org-day:{r.OrganizationId:N}", plan.ApiRequestsPerDay, Day));
        }
        return rules;
    }

    public static void AddRateLimits(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<RateLimitOptions>().Bind(config.GetSection(RateLimitOptions.Section));
        services.AddSingleton<InProcessRequestLimiter>();
        services.AddSingleton<RunningJobs>();
        services.AddSingleton<OpenStreams>();
        services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1", RateLimitsOpenApi.Describe);
        var redis = config.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton<IRequestLimiter>(sp => sp.GetRequiredService<InProcessRequestLimiter>());
            return;
        }
        // Connects in the background and keeps retrying, so a node starts (and limits per node) while Redis is down.
        var redisOptions = ConfigurationOptions.Parse(redis);
        redisOptions.AbortOnConnectFail = false;
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redisOptions));
        services.AddSingleton<IRequestLimiter, RedisRequestLimiter>();
    }

    public static void UseRateLimits(this WebApplication app) => app.Use(LimitAsync);

    private static async Task LimitAsync(HttpContext http, RequestDelegate next)
    {
        var options = http.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue;
        if (!options.Enabled)
        {
            await next(http);
            return;
        }

        var request = Read(http);
        var plan = CountsForOrganization(request)
            ? (await http.RequestServices.GetRequiredService<CurrentPlans>().ForAsync(request.OrganizationId!.Value, http.RequestAborted))?.Limits
            : null;
        var rules = RulesFor(request, plan, options);
        if (rules.Count == 0)
        {
            await next(http);
            return;
        }

        var limiter = http.RequestServices.GetRequiredService<IRequestLimiter>();
        var counts = new List<(LimitRule Rule, WindowCount Count)>(rules.Count);
        foreach (var rule in rules) counts.Add((rule, await limiter.AcquireAsync(rule, http.RequestAborted)));

        // The tightest count speaks for the response: a refusing one, else the one with the least left.
        var (tightest, count) = counts.OrderBy(c => c.Count.Allowed).ThenBy(c => c.Count.Remaining).First();
        WriteHeaders(http.Response.Headers, rules, tightest, count);
        if (count.Allowed)
        {
            await next(http);
            return;
        }

        var retryAfter = SecondsOf(count.ResetAfter);
        http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await Problems.Of(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many requests.",
            $"The {tightest.Policy} limit of {tightest.Limit} requests per {Describe(tightest.Window)} is used up; try again in {retryAfter} s.",
            ("policy", tightest.Policy), ("limit", tightest.Limit), ("retryAfterSeconds", retryAfter)).ExecuteAsync(http);
    }

    private static LimitedRequest Read(HttpContext http)
    {
        var (method, path, user) = (http.Request.Method, http.Request.Path.Value ?? "", http.User);
        var signedIn = user.Identity?.IsAuthenticated == true;
        return new LimitedRequest(IsSubmission(method, path), IsAnonymousAuth(method, path),
            signedIn ? user.UserId() : null, signedIn ? user.OrganizationId() : null, signedIn && user.HasClaim(c => c.Type == Caller.ApiKeyClaim),
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown", signedIn ? user.ApiKeyId() : null,
            int.TryParse(user.FindFirst(Caller.ApiKeyRequestsPerMinuteClaim)?.Value, out var perMinute) ? perMinute : null);
    }

    private static void WriteHeaders(IHeaderDictionary headers, IReadOnlyList<LimitRule> rules, LimitRule tightest, WindowCount count)
    {
        var reset = SecondsOf(count.ResetAfter);
        headers["RateLimit-Policy"] = string.Join(", ", rules.Select(r => $"\"{r.Policy}\";q={r.Limit};w={(int)r.Window.TotalSeconds}"));
        headers["RateLimit"] = $"\"{tightest.Policy}\";r={count.Remaining};t={reset}";
        headers["X-RateLimit-Limit"] = count.Limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = count.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = reset.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Whole seconds, rounded up, so a client that waits them is never early.</summary>
    private static long SecondsOf(TimeSpan span) => Math.Max(1, (long)Math.Ceiling(span.TotalSeconds));

    private static string Describe(TimeSpan window) => window == Day ? "day" : "minute";
}
