using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Providers;
using BaseAgency.Providers.Keys;
using FastEndpoints;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Features.AddProviderKey;

public sealed record AddProviderKeyRequest(string Provider, string ApiKey);

public sealed class AddProviderKeyValidator : Validator<AddProviderKeyRequest>
{
    public AddProviderKeyValidator()
    {
        RuleFor(x => x.Provider).NotEmpty().Must(p => ProviderSetup.External.ContainsKey(p?.Trim().ToLowerInvariant() ?? ""))
            .WithMessage($"One of {string.Join(", ", ProviderSetup.External.Keys)}.");
        // The message never repeats the value: it is a secret.
        RuleFor(x => x.ApiKey).NotEmpty().Length(8, 500).Must(k => k is null || !k.Any(char.IsWhiteSpace))
            .WithMessage("An API key of 8 to 500 characters without spaces.");
    }
}

/// <summary>
/// POST /api/provider-keys (admin): the organization's own key for a provider. It is checked with the
/// provider first, then stored sealed (AES-256-GCM); only a hint (****abcd) is ever shown again. A key for a
/// provider that already has one replaces it.
/// </summary>
public sealed class AddProviderKeyEndpoint(IDocumentSession session, IEnumerable<IGenerationProvider> providers, KeyVault vault, TimeProvider clock)
    : Endpoint<AddProviderKeyRequest, Results<Created<ProviderKeyView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/provider-keys");
        Policies(Identity.Policies.Admin);
        Description(d => d.WithName("AddProviderKey").WithSummary("Add the organization's own provider API key").WithTags("Provider keys")
            .ProducesProblem(400).ProducesProblem(422).ProducesProblem(503));
    }

    public override async Task<Results<Created<ProviderKeyView>, ProblemHttpResult>> ExecuteAsync(AddProviderKeyRequest req, CancellationToken ct)
    {
        var caller = User.Required();
        var provider = req.Provider.Trim().ToLowerInvariant();
        if (providers.FirstOrDefault(p => p.Name == provider) is not IValidatesKeys validator)
            return Problems.Of(422, "provider_unavailable", $"The provider '{provider}' is not available on this server.");
        try
        {
            await validator.ValidateKeyAsync(req.ApiKey, ct);
        }
        catch (ProviderException e) when (e.Kind == ProviderFailureKind.Permanent)
        {
            return Problems.Of(422, "provider_key_invalid", $"{provider} did not accept this key.", "Check the key and its permissions.");
        }
        catch (ProviderException)
        {
            return Problems.Of(503, "provider_unavailable", $"{provider} could not be reached to check the key; nothing was stored.");
        }

        var now = clock.GetUtcNow();
        var key = new ProviderKey(provider, caller.OrganizationId, vault.Seal(req.ApiKey, ProviderKey.AssociatedData(caller.OrganizationId, provider)),
            ProviderKey.HintOf(req.ApiKey), Valid: true, CreatedAt: now, CreatedBy: caller.UserId, LastValidatedAt: now);
        session.Store(key);
        await session.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/provider-keys/{provider}", ProviderKeyView.Of(key));
    }
}
