using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using EndpointDefinition = FastEndpoints.EndpointDefinition;
using EmptyRequest = FastEndpoints.EmptyRequest;
using QueryParamAttribute = FastEndpoints.QueryParamAttribute;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace BaseAgency.Http;

/// <summary>OpenAPI 3.1 at /openapi/v1.json (for SDK generators) and the Scalar reference at /scalar.</summary>
public static class OpenApiDocument
{
    private const string Bearer = "Bearer";

    public static void AddOpenApiDocument(this IServiceCollection services) => services.AddOpenApi("v1", o =>
    {
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "BASE Agency API",
                Version = "v1",
                Description = "Generate images, video, audio and text with AI providers, paid with prepaid credits. " +
                              "Errors are RFC 9457 problem details with a stable `code` and the `requestId`.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "The access token from /api/auth/login, /signup or /refresh, or an API key (ba_live_…).",
            };
            return Task.CompletedTask;
        });

        o.AddOperationTransformer((operation, context, _) =>
        {
            AddRouteParameters(operation, context.Description.RelativePath);
            if (context.Description.HttpMethod is "GET" or "DELETE" or "HEAD")
                MoveRequestToQuery(operation, context.Description.ActionDescriptor.EndpointMetadata.OfType<EndpointDefinition>().FirstOrDefault());
            return Task.CompletedTask;
        });

        // Lists of strings are read by our own converter (no null items, see Json), which hides their shape from the generator.
        o.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type != typeof(IReadOnlyList<string>)) return Task.CompletedTask;
            schema.Type = JsonSchemaType.Array | (context.JsonPropertyInfo?.IsSetNullable == true ? JsonSchemaType.Null : 0);
            schema.Items = new OpenApiSchema { Type = JsonSchemaType.String };
            return Task.CompletedTask;
        });

        // Every problem answer carries the stable code, the request id and, for 400s, field errors.
        o.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type != typeof(ProblemDetails) && context.JsonTypeInfo.Type != typeof(HttpValidationProblemDetails))
                return Task.CompletedTask;
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            schema.Properties["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Stable, machine-readable problem code." };
            schema.Properties["requestId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The X-Request-Id of the request." };
            schema.Properties["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object | JsonSchemaType.Null,
                Description = "Field errors (validation problems only).",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
            return Task.CompletedTask;
        });

        // Endpoints behind a policy get the bearer requirement and the 401/403 problems they can answer.
        o.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (!metadata.OfType<IAuthorizeData>().Any() || metadata.OfType<IAllowAnonymous>().Any()) return Task.CompletedTask;

            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] });
            operation.Responses ??= new OpenApiResponses();
            foreach (var (status, text) in new[] { ("401", "Missing, invalid or expired access token."), ("403", "The caller's role does not allow this.") })
                if (!operation.Responses.TryGetValue(status, out var existing) || existing.Content is not { Count: > 0 })
                    operation.Responses[status] = ProblemResponse(text);
            return Task.CompletedTask;
        });
    });

    /// <summary>
    /// A GET's request object is bound from the query string ([QueryParam]); ApiExplorer would describe it as
    /// a body, which SDK generators cannot send with GET. Each property becomes a query parameter instead.
    /// </summary>
    private static void MoveRequestToQuery(OpenApiOperation operation, EndpointDefinition? endpoint)
    {
        operation.RequestBody = null;
        if (endpoint?.ReqDtoType is not { } request || request == typeof(EmptyRequest)) return;
        foreach (var property in request.GetProperties().Where(p => p.GetCustomAttribute<QueryParamAttribute>() is not null))
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = JsonNamingPolicy.CamelCase.ConvertName(property.Name),
                In = ParameterLocation.Query,
                Required = false,
                Description = property.GetCustomAttribute<System.ComponentModel.DescriptionAttribute>()?.Description,
                Schema = SchemaFor(property.PropertyType),
            });
        }
    }

    private static OpenApiSchema SchemaFor(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
            return new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = Enum.GetNames(type).Select(n => (JsonNode)JsonValue.Create(Json.EnumNaming.ConvertName(n))!).ToList(),
            };
        return type switch
        {
            _ when type == typeof(Guid) => new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
            _ when type == typeof(int) => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            _ when type == typeof(long) => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
            _ when type == typeof(bool) => new OpenApiSchema { Type = JsonSchemaType.Boolean },
            _ => new OpenApiSchema { Type = JsonSchemaType.String },
        };
    }

    /// <summary>FastEndpoints routes read their route values directly, so ApiExplorer does not list them.</summary>
    private static void AddRouteParameters(OpenApiOperation operation, string? path)
    {
        foreach (var segment in (path ?? "").Split('/').Where(s => s.StartsWith('{') && s.EndsWith('}')))
        {
            var parts = segment.Trim('{', '}').TrimStart('*').Split(':');
            operation.Parameters ??= [];
            if (operation.Parameters.Any(p => p.Name == parts[0])) continue;
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = parts[0],
                In = ParameterLocation.Path,
                Required = true,
                Schema = parts.Length > 1 && parts[1] == "guid"
                    ? new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" }
                    : new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
    }

    internal static OpenApiResponse ProblemResponse(string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(nameof(ProblemDetails)) },
        },
    };

    public static void MapOpenApiDocument(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/scalar", o => o.WithTitle("BASE Agency API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapGet("/", () => Results.Redirect("/scalar")).ExcludeFromDescription(); // the root is where people look first
    }
}
