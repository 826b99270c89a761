using Marten;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BaseAgency.Http;

/// <summary>
/// One Idempotency-Key semantics for every POST that moves money or credits; an endpoint opts in with
/// <c>Options(b => b.Idempotent())</c> in its <c>Configure()</c>. The key is scoped to the caller's organization.
/// Same key and same request (<see cref="IdempotencyRules.Fingerprint"/>) → the first answer again, marked
/// <c>Idempotent-Replayed: true</c>; same key, another request → 422; while the first still runs → 409.
/// </summary>
public static class Idempotency
{
    public const string KeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <param name="scopeOf">Whose keys a request's key is among (the caller's organization); asked after authorization.</param>
    public static void AddIdempotency(this IServiceCollection services, IConfiguration config, Func<HttpContext, string> scopeOf)
    {
        var options = config.GetSection("Idempotency").Get<IdempotencyOptions>() ?? new IdempotencyOptions();
        if (options.KeyRetention <= options.Lease || options.Lease <= TimeSpan.Zero)
            throw new InvalidOperationException("Idempotency:Lease must be positive and shorter than Idempotency:KeyRetention.");
        services.AddSingleton(options);
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton(new IdempotencyScope(scopeOf));
        services.ConfigureAll<OpenApiOptions>(o => o.AddOperationTransformer(Describe));
    }

    public static void ConfigureIdempotency(this StoreOptions opts) =>
        opts.Storage.ExtendedSchemaObjects.Add(IdempotencyStore.Table(opts.DatabaseSchemaName));

    /// <summary>Opts an endpoint behind a policy in (its caller's organization scopes the keys).</summary>
    public static RouteHandlerBuilder Idempotent(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter<IdempotencyFilter>().WithMetadata(new IdempotentEndpoint());

    public static ProblemHttpResult KeyReused(string? detail = null) =>
        Problems.Of(StatusCodes.Status422UnprocessableEntity, "idempotency_key_reused", "This Idempotency-Key was used for a different request.",
            detail ?? "Send a new key with a new request.");

    private sealed record IdempotentEndpoint;

    private sealed record IdempotencyScope(Func<HttpContext, string> Of);

    private sealed class IdempotencyFilter(IdempotencyStore store, IdempotencyScope scope) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var http = context.HttpContext;
            if (!http.Request.Headers.TryGetValue(KeyHeader, out var values)) return await next(context);
            if (values.Count != 1 || !IdempotencyRules.IsWellFormed(values[0]))
                return Problems.Of(StatusCodes.Status400BadRequest, "invalid_idempotency_key",
                    "The Idempotency-Key header must be one value of 1–255 visible ASCII characters.");

            var key = values[0]!;
            var owner = scope.Of(http);
            var fingerprint = await FingerprintAsync(http);
            var claim = await store.ClaimAsync(owner, key, fingerprint, http.RequestAborted);
            switch (claim.Verdict)
            {
                case IdempotencyVerdict.Replay replay:
                    return new Replayed(replay.Answer);
                case IdempotencyVerdict.Reused:
                    return KeyReused();
                case IdempotencyVerdict.InFlight:
                    http.Response.Headers.RetryAfter = "1";
                    return Problems.Conflict("idempotency_request_in_flight", "A request with this Idempotency-Key is still running.",
                        "Retry in a moment to receive its answer.");
            }

            var token = claim.Token!.Value;
            http.Features.Set(new IdempotentRequest(key, fingerprint));
            var client = http.Features.Get<IHttpResponseBodyFeature>()!;
            using var buffer = new MemoryStream();
            // The answer is held back until it is stored, so a client never sees an answer a retry would not get.
            http.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(buffer, client));
            using var running = new CancellationTokenSource();
            var renewal = store.KeepAliveAsync(owner, key, token, running.Token);
            try
            {
                if (await next(context) is IResult result) await result.ExecuteAsync(http);
            }
            catch
            {
                await store.ReleaseAsync(owner, key, token);
                throw;
            }
            finally
            {
                http.Features.Set(client);
                await running.CancelAsync();
                await renewal;
            }

            var response = http.Response;
            var location = response.Headers.Location.ToString();
            if (IdempotencyRules.Keeps(response.StatusCode))
                await store.CompleteAsync(owner, key, token,
                    new StoredAnswer(response.StatusCode, response.ContentType, location.Length > 0 ? location : null, buffer.ToArray()));
            else
                await store.ReleaseAsync(owner, key, token);
            buffer.Position = 0;
            await buffer.CopyToAsync(response.Body, http.RequestAborted);
            return Results.Empty;
        }

        private static async Task<string> FingerprintAsync(HttpContext http)
        {
            http.Request.EnableBuffering();
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body, http.RequestAborted);
            http.Request.Body.Position = 0;
            var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.ToString();
            return IdempotencyRules.Fingerprint(http.Request.Method, route,
                http.Request.RouteValues.Select(v => KeyValuePair.Create(v.Key, Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture))),
                http.Request.QueryString.Value ?? "", body.ToArray(),
                IdempotencyRules.MeaningfulHeaders.Select(h => KeyValuePair.Create(h, (string?)http.Request.Headers[h].ToString())));
        }
    }

    /// <summary>The stored first answer, as it was sent, marked as a replay.</summary>
    private sealed class Replayed(StoredAnswer answer) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = answer.Status;
            if (answer.ContentType is { } type) http.Response.ContentType = type;
            if (answer.Location is { } location) http.Response.Headers.Location = location;
            http.Response.Headers[ReplayedHeader] = "true";
            await http.Response.Body.WriteAsync(answer.Body, http.RequestAborted);
        }
    }

    /// <summary>The opted-in operations document the header, the replay mark and the problems the key can answer.</summary>
    private static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<IdempotentEndpoint>().Any()) return Task.CompletedTask;

        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = KeyHeader,
            In = ParameterLocation.Header,
            Required = false,
            Description = "Makes a retry safe: the same key with the same request answers the first answer again (kept 24 h by default); " +
                          "with another request, 422 idempotency_key_reused; while the first still runs, 409 idempotency_request_in_flight.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 255, Pattern = "^[!-~]{1,255}$" },
        });
        operation.Responses ??= new OpenApiResponses();
        foreach (var (status, response) in operation.Responses)
            if (status.StartsWith('2') && response is OpenApiResponse success)
            {
                success.Headers ??= new Dictionary<string, IOpenApiHeader>();
                success.Headers[ReplayedHeader] = new OpenApiHeader
                {
                    Description = "\"true\" when this is the stored answer to an earlier request with the same Idempotency-Key.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
            }
        foreach (var (status, text) in new[]
                 {
                     ("400", "The request or its Idempotency-Key is malformed (invalid_idempotency_key)."),
                     ("409", "A request with this Idempotency-Key is still running (idempotency_request_in_flight); see Retry-After."),
                     ("422", "This Idempotency-Key was used for a different request (idempotency_key_reused)."),
                 })
            if (!operation.Responses.ContainsKey(status))
                operation.Responses[status] = OpenApiDocument.ProblemResponse(text);
        return Task.CompletedTask;
    }
}
