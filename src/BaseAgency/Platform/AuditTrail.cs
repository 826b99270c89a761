using System.Security.Claims;
using System.Text.Json;
using BaseAgency.Identity;
using FastEndpoints;
using Marten;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.IdentityModel.JsonWebTokens;

namespace BaseAgency.Platform;

/// <summary>
/// Records every state-changing request under /api (POST, PUT, PATCH, DELETE) as one <see cref="AuditKind.Request"/>
/// entry: the operation, the route's resource, the caller, where from, and the answer. Refused requests too, so failed
/// and locked sign-ins and refresh-token reuse are in the log. The entry is one insert, made as soon as the answer is
/// complete: no wait added to the answer, and no queue in memory that a crash or a restart would lose (only a crash in
/// the millisecond between the answer and the insert can). Bodies are never read: they hold passwords, tokens and keys.
/// </summary>
public static class AuditTrail
{

    private const int MaxUserAgentLength = 256;

    public static void AddAuditTrail(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<AuditOptions>().Bind(config.GetSection(AuditOptions.Section));
        // Problem details are written through this callback (see HttpConventions): the problem's code is kept for the entry.
        services.PostConfigure<ProblemDetailsOptions>(o =>
        {
            var customize = o.CustomizeProblemDetails;
            o.CustomizeProblemDetails = ctx =>
            {
                customize?.Invoke(ctx);
                if (ctx.ProblemDetails.Extensions.TryGetValue("code", out var code) && code is string c)
                    Note(ctx.HttpContext).Code = c;
            };
        });
    }

    /// <summary>After authentication, so the caller is known.</summary>
    public static void UseAuditTrail(this WebApplication app) => app.Use(Record);

    /// <summary>
    /// Sign-up, sign-in, refresh and accepting an invitation are anonymous requests that answer with a token pair:
    /// the entry is attributed to the member the tokens were issued to.
    /// </summary>
    public static void AttributeSignIns(EndpointDefinition endpoint) => endpoint.PostProcessors(Order.After, new SignInAttribution());

    private static Task Record(HttpContext http, RequestDelegate next)
    {
        // Once the answer is complete: its status final (whatever wrote it, even the exception handler), the sign-in
        // attributed, and the client not kept waiting for the insert.
        if (Changes(http.Request)) http.Response.OnCompleted(() => AppendAsync(http));
        return next(http);
    }

    private static bool Changes(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") &&
        (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method) || HttpMethods.IsDelete(request.Method));

    private static async Task AppendAsync(HttpContext http)
    {
        // Unknown routes (404/405 before any endpoint) are noise an attacker could fill the log with.
        if (http.GetEndpoint() is not RouteEndpoint endpoint) return;
        try
        {
            var entry = EntryOf(http, endpoint, http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
            await using var session = http.RequestServices.GetRequiredService<IDocumentStore>().LightweightSession();
            session.Insert(entry);
            // Not the request's token: a client that hangs up still leaves its entry.
            await session.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception error)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditTrail))
                .LogError(error, "Could not record the audit entry of {Method} {Route}", http.Request.Method, endpoint.RoutePattern.RawText);
        }
    }

    private static AuditEntry EntryOf(HttpContext http, RouteEndpoint endpoint, DateTimeOffset now)
    {
        var note = Note(http);
        var user = http.User;
        var status = http.Response.StatusCode;
        var (action, resourceType, resourceId) = Describe(http.Request.Method, endpoint.RoutePattern,
            endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName, http.Request.RouteValues,
            http.Request.Path, http.Response.Headers.Location.ToString());
        return new AuditEntry(Guid.CreateVersion7(), note.UserId ?? user.UserId(), action, note.OrganizationId ?? user.OrganizationId(), "", now)
        {
            Kind = AuditKind.Request,
            ApiKeyId = user.ApiKeyId(),
            ResourceType = resourceType,
            ResourceId = resourceId,
            Method = http.Request.Method,
            Route = endpoint.RoutePattern.RawText,
            Ip = http.Connection.RemoteIpAddress?.ToString(),
            UserAgent = http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, MaxUserAgentLength)] : null,
            RequestId = http.TraceIdentifier,
            Status = status,
            Outcome = OutcomeOf(status),
            Code = status >= 400 ? note.Code : null,
        };
    }

    /// <summary>
    /// The action is the operation id in snake case (<c>InviteMember</c> → <c>invite_member</c>); the resource is the
    /// route's last parameter and the literal segment before it (<c>/members/{userId}</c> → members, the id), or for a
    /// create, the last literal segment and the id that the Location header adds to the request's path.
    /// </summary>
    public static (string Action, string? ResourceType, string? ResourceId) Describe(string method, RoutePattern route, string? operationId,
        RouteValueDictionary values, PathString path, string? location)
    {
        var action = operationId is { Length: > 0 } ? JsonNamingPolicy.SnakeCaseLower.ConvertName(operationId) : $"{method.ToLowerInvariant()} {route.RawText}";
        var segments = route.PathSegments;
        var last = segments.Select((s, i) => (s, i)).LastOrDefault(x => x.s.Parts is [RoutePatternParameterPart]);
        if (last.s is not null)
        {
            var name = ((RoutePatternParameterPart)last.s.Parts[0]).Name;
            return (action, last.i > 0 ? LiteralOf(segments[last.i - 1]) : null, values.TryGetValue(name, out var id) ? id?.ToString() : null);
        }

        var created = location is { Length: > 0 } && location.LastIndexOf('/') is var slash and > 0 && location[..slash] == path.Value
            ? location[(slash + 1)..]
            : null;
        return (action, segments.Count > 0 ? LiteralOf(segments[^1]) : null, created);
    }

    public static AuditOutcome OutcomeOf(int status) => status switch
    {
        < 400 => AuditOutcome.Succeeded,
        < 500 => AuditOutcome.Refused,
        _ => AuditOutcome.Failed,
    };

    private static string? LiteralOf(RoutePatternPathSegment segment) =>
        segment.Parts is [RoutePatternLiteralPart literal] ? literal.Content : null;

    private static AuditNote Note(HttpContext http)
    {
        if (http.Features.Get<AuditNote>() is { } note) return note;
        http.Features.Set(note = new AuditNote());
        return note;
    }

    /// <summary>What the request learned for its entry after authentication: the problem's code, the member who signed in.</summary>
    private sealed class AuditNote
    {
        public string? Code { get; set; }
        public Guid? UserId { get; set; }
        public Guid? OrganizationId { get; set; }
    }

    private sealed class SignInAttribution : IGlobalPostProcessor
    {
        public Task PostProcessAsync(IPostProcessorContext context, CancellationToken ct)
        {
            if (context.HttpContext.User.Identity?.IsAuthenticated != true && Changes(context.HttpContext.Request) &&
                TokensIn(context.Response) is { } tokens)
            {
                // Our own token, issued a moment ago: read, not validated.
                var issued = new JsonWebToken(tokens.AccessToken);
                var note = Note(context.HttpContext);
                note.UserId = Guid.TryParse(issued.GetPayloadValue<string>(Caller.UserIdClaim), out var user) ? user : null;
                note.OrganizationId = Guid.TryParse(issued.GetPayloadValue<string>(Caller.OrganizationClaim), out var org) ? org : null;
            }
            return Task.CompletedTask;
        }

        private static TokenPair? TokensIn(object? response) => response switch
        {
            TokenPair tokens => tokens,
            INestedHttpResult nested => TokensIn(nested.Result),
            IValueHttpResult value => TokensIn(value.Value),
            { } body => body.GetType().GetProperties().FirstOrDefault(p => p.PropertyType == typeof(TokenPair))?.GetValue(body) as TokenPair,
            null => null,
        };
    }
}
