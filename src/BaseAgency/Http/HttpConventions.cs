using Microsoft.Net.Http.Headers;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.HttpOverrides;
using System.Text.RegularExpressions;
using JasperFx;
using Marten.Exceptions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace BaseAgency.Http;

/// <summary>Configuration section "Http".</summary>
public sealed class HttpOptions
{
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>
    /// Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For and X-Forwarded-Proto are believed, so per-IP limits
    /// and the audit log see the client rather than the proxy. Empty: the headers are ignored (a client could forge them).
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];
}

/// <summary>What every request goes through: request ids, problem details, limits, CORS, security headers.</summary>
public static partial class HttpConventions
{
    public const string RequestIdHeader = "X-Request-Id";
    private const string CorsPolicy = "spa";

    public static void AddHttpConventions(this IServiceCollection services, IConfiguration config)
    {
        var http = config.GetSection("Http").Get<HttpOptions>() ?? new HttpOptions();
        services.AddSingleton(http);
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k =>
        {
            k.Limits.MaxRequestBodySize = http.MaxRequestBodyBytes;
            k.AddServerHeader = false;
        });

        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var problem = ctx.ProblemDetails;
            var code = problem.Extensions.TryGetValue("code", out var c) && c is string s ? s : CodeFor(problem.Status);
            problem.Extensions["code"] = code;
            problem.Extensions["requestId"] = ctx.HttpContext.TraceIdentifier;
            problem.Extensions.Remove("traceId");
            if (problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org")) problem.Type = Problems.TypeOf(code);
            problem.Instance ??= ctx.HttpContext.Request.Path;
        });
        services.AddExceptionHandler<ExceptionsAsProblems>();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in http.TrustedProxies)
                if (proxy.Contains('/')) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
                else o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        });

        services.AddCors(o => o.AddPolicy(CorsPolicy, p => p
            .WithOrigins(http.CorsOrigins)
            .AllowAnyHeader()
            .AllowAnyMethod()
            .WithExposedHeaders(RequestIdHeader, "Retry-After", "Location", Idempotency.ReplayedHeader)));
    }

    public static void UseHttpConventions(this WebApplication app)
    {
        if (app.Services.GetRequiredService<HttpOptions>().TrustedProxies.Length > 0) app.UseForwardedHeaders();
        app.Use(RequestId);
        app.UseExceptionHandler();
        app.UseStatusCodePages(); // empty 401/403/404/405 answers become problem details too
        app.Use(SecurityHeaders);
        app.Use(BodyLimit);
        app.Use(NoNulInUrl);
        app.Use(JsonBodiesOnly);
        app.UseCors(CorsPolicy);
    }

    /// <summary>
    /// A route that reads a JSON body gets JSON in UTF-8 or a 415 problem here, for every route at once: an unknown charset
    /// or a missing Content-Type used to fail inside the endpoint's binding (a 500, or an empty answer). Routes that read
    /// their bytes raw (the Stripe webhook, whose signature is over the bytes) declare no JSON body and are left alone.
    /// </summary>
    private static async Task JsonBodiesOnly(HttpContext http, RequestDelegate next)
    {
        var request = http.Request;
        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (hasBody && http.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is { } accepts && accepts.ContentTypes.Any(IsJson))
        {
            if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !IsJson(type.MediaType.Value ?? ""))
            {
                await Problems.Of(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "The body must be JSON.",
                    "Send it with Content-Type: application/json.").ExecuteAsync(http);
                return;
            }
            if (type.Charset.HasValue && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            {
                await Problems.Of(StatusCodes.Status415UnsupportedMediaType, "unsupported_charset", "The body must be UTF-8.",
                    $"The charset '{type.Charset}' is not accepted; send charset=utf-8 (or none).").ExecuteAsync(http);
                return;
            }
        }
        await next(http);
    }

    private static bool IsJson(string mediaType) =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A NUL character has no business in a path or query value and PostgreSQL cannot store one in text: refused here, for
    /// every route at once (request bodies are refused by <see cref="Json"/>'s string reader).
    /// </summary>
    private static async Task NoNulInUrl(HttpContext http, RequestDelegate next)
    {
        if ((http.Request.Path.Value?.Contains('\0') ?? false) || http.Request.Query.Any(q => q.Key.Contains('\0') || q.Value.Any(v => v?.Contains('\0') == true)))
        {
            await Problems.Of(StatusCodes.Status400BadRequest, "invalid_characters", "The URL contains a NUL character.").ExecuteAsync(http);
            return;
        }
        await next(http);
    }

    /// <summary>Accepts a well-formed X-Request-Id or makes one; echoes it and puts it in every log line's scope.</summary>
    private static async Task RequestId(HttpContext http, RequestDelegate next)
    {
        var given = http.Request.Headers[RequestIdHeader].ToString();
        var id = WellFormedRequestId().IsMatch(given) ? given : Guid.NewGuid().ToString("N");
        http.TraceIdentifier = id;
        http.Response.Headers[RequestIdHeader] = id;
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("BaseAgency.Requests");
        // A message-template scope: the console prints "RequestId …" and the JSON log a RequestId field (a dictionary printed its type name).
        using (logger.BeginScope("RequestId {RequestId}", id))
            await next(http);
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex WellFormedRequestId();

    private static Task SecurityHeaders(HttpContext http, RequestDelegate next)
    {
        http.Response.OnStarting(() =>
        {
            var h = http.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "no-referrer";
            h["Cross-Origin-Opener-Policy"] = "same-origin";
            // The API serves JSON only; the Scalar page needs its own script and styles.
            if (!http.Request.Path.StartsWithSegments("/scalar"))
                h.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            if (http.Request.IsHttps) h.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            // Answers hold one caller's data and, from sign-in, tokens: no shared cache keeps them unless a route says so.
            if (http.Request.Path.StartsWithSegments("/api") && !h.ContainsKey(HeaderNames.CacheControl)) h.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        return next(http);
    }

    /// <summary>
    /// Kestrel enforces the limit while reading; this answers early when Content-Length already says the
    /// body is too large (and covers hosts without Kestrel, such as the test server).
    /// </summary>
    private static Task BodyLimit(HttpContext http, RequestDelegate next)
    {
        var limit = http.RequestServices.GetRequiredService<HttpOptions>().MaxRequestBodyBytes;
        return http.Request.ContentLength > limit
            ? Problems.Of(StatusCodes.Status413PayloadTooLarge, "payload_too_large",
                "The request body is too large.", $"The limit is {limit} bytes.", ("limitBytes", limit)).ExecuteAsync(http)
            : next(http);
    }

    public static string CodeFor(int? status) => status switch
    {
        400 => "bad_request",
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        422 => "unprocessable",
        429 => "too_many_requests",
        503 => "unavailable",
        _ => "internal_error",
    };

    /// <summary>Turns what escaped an endpoint into a problem; a 500 never carries exception details.</summary>
    private sealed class ExceptionsAsProblems(IProblemDetailsService problems, ILogger<ExceptionsAsProblems> log) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception error, CancellationToken ct)
        {
            var (status, title) = error switch
            {
                BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == 413 ? "The request body is too large." : "The request could not be read."),
                ConcurrencyException or ConcurrentUpdateException => (409, "The resource was changed by another request; try again."),
                _ when error.IsUniqueViolation() => (409, "The resource already exists."),
                OperationCanceledException when http.RequestAborted.IsCancellationRequested => (499, "The client closed the request."),
                _ => (500, "An unexpected error occurred."),
            };
            if (status == 500) log.LogError(error, "Unhandled error");
            else log.LogInformation("Request failed with {Status}: {Error}", status, error.GetType().Name);
            if (http.Response.HasStarted || status == 499) return true;

            http.Response.StatusCode = status;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                Exception = error,
                ProblemDetails = new ProblemDetails { Status = status, Title = title },
            });
        }
    }
}
