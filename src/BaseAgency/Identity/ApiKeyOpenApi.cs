using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BaseAgency.Identity;

/// <summary>
/// The API key in the OpenAPI document: a security scheme for <c>X-API-Key</c> (the same key is also accepted as
/// <c>Authorization: Bearer ba_…</c>, the Bearer scheme), offered as an alternative on every operation a key may
/// call, with the scope it needs as the requirement's role.
/// </summary>
public static class ApiKeyOpenApi
{
    private const string SchemeName = "ApiKey";

    public static void AddApiKeyToOpenApi(this IServiceCollection services) => services.Configure<OpenApiOptions>("v1", o =>
    {
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthentication.Header,
                Description = "An organization's API key (ba_live_…), from POST /api/api-keys. It may also be sent as " +
                              "`Authorization: Bearer ba_live_…`. Its scopes (read, generate, billing, admin) decide which operations it may call.",
            };
            return Task.CompletedTask;
        });

        o.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAllowAnonymous>().Any()) return Task.CompletedTask;
            var policy = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).FirstOrDefault(p => p is not null && Policies.Minimum.ContainsKey(p));
            if (policy is null) return Task.CompletedTask;
            var declared = metadata.OfType<ApiKeyScopes.Required>().LastOrDefault();
            if ((declared is null ? ApiKeyScopes.ImpliedBy(Policies.Minimum[policy]) : declared.Scope) is not { } scope) return Task.CompletedTask;

            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [scope.ToString().ToLowerInvariant()],
            });
            return Task.CompletedTask;
        });
    });
}
