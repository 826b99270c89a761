using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BaseAgency.RateLimiting;

/// <summary>The limited operations in the OpenAPI document: their 429 problem and the rate-limit headers.</summary>
internal static class RateLimitsOpenApi
{
    private static readonly (string Name, string Description)[] Headers =
    [
        ("RateLimit-Policy", "The limits this request counts against (IETF draft), e.g. `\"organization-minute\";q=5;w=60`."),
        ("RateLimit", "What is left of the tightest limit and the seconds until its window ends, e.g. `\"organization-minute\";r=4;t=42`."),
        ("X-RateLimit-Limit", "Requests allowed in the tightest limit's window."),
        ("X-RateLimit-Remaining", "Requests left in that window."),
        ("X-RateLimit-Reset", "Seconds until that window ends."),
    ];

    public static void Describe(OpenApiOptions options) => options.AddOperationTransformer((operation, context, _) =>
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var signedIn = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        if (!signedIn && !RateLimits.IsAnonymousAuth(context.Description.HttpMethod ?? "", "/" + context.Description.RelativePath))
            return Task.CompletedTask;

        operation.Responses ??= new OpenApiResponses();
        if (!operation.Responses.TryGetValue("429", out var refused) || refused is not OpenApiResponse)
            operation.Responses["429"] = refused = Http.OpenApiDocument.ProblemResponse("Too many requests: a rate limit is used up (code `rate_limited`).");
        foreach (var (status, response) in operation.Responses)
        {
            if (response is not OpenApiResponse limited || !(status.StartsWith('2') || status == "429")) continue;
            limited.Headers ??= new Dictionary<string, IOpenApiHeader>();
            foreach (var (name, description) in Headers) limited.Headers[name] = Header(description, name.StartsWith("X-"));
            if (status == "429") limited.Headers["Retry-After"] = Header("Seconds to wait before trying again.", integer: true);
        }
        return Task.CompletedTask;
    });

    private static OpenApiHeader Header(string description, bool integer) => new()
    {
        Description = description,
        Schema = new OpenApiSchema { Type = integer ? JsonSchemaType.Integer : JsonSchemaType.String },
    };
}
