using BaseAgency.Platform;
using BaseAgency.Http;
using BaseAgency.Providers;
using BaseAgency.Providers.Keys;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Features.AddProviderKey;

/// <summary>
/// The key is checked with the provider first, then stored sealed (AES-256-GCM) and bound to the organization;
/// only a hint (****abcd) is ever shown again. A key for a provider that already has one replaces it.
/// </summary>
public static class AddProviderKeyHandler
{
    public static async Task<Outcome<ProviderKeyView>> Handle(AddProviderKey command, IDocumentSession session,
        IEnumerable<IGenerationProvider> providers, KeyVault vault, TimeProvider clock, CancellationToken ct)
    {
        var provider = ProviderKey.IdFor(command.Provider);
        if (providers.FirstOrDefault(p => p.Name == provider) is not IValidatesKeys validator)
            return Problems.Of(422, "provider_unavailable", $"The provider '{provider}' is not available on this server.");
        if (Refusal(provider, await CheckAsync(validator, command.ApiKey.Value, ct)) is { } refused) return refused;

        var now = clock.GetUtcNow();
        var replaced = await session.LoadAsync<ProviderKey>(provider, ct);
        var key = new ProviderKey(provider, command.OrganizationId,
            vault.Seal(command.ApiKey.Value, ProviderKey.AssociatedData(command.OrganizationId, provider)), ProviderKey.HintOf(command.ApiKey.Value),
            Valid: true, CreatedAt: now, CreatedBy: command.UserId, LastValidatedAt: now);
        session.Store(key);
        session.Insert(AuditEntry.Changed(command.UserId, command.OrganizationId, "provider_key.added", "provider_keys", provider, now,
            ("key", replaced?.Hint, key.Hint)));
        return ProviderKeyView.Of(key);
    }

    /// <summary>Only a key the provider accepted is stored; a provider that cannot be asked stores nothing either.</summary>
    public static ProblemHttpResult? Refusal(string provider, KeyCheck check) => check switch
    {
        KeyCheck.Refused => Problems.Of(422, "provider_key_invalid", $"{provider} did not accept this key.", "Check the key and its permissions."),
        KeyCheck.Unreachable => Problems.Of(503, "provider_unavailable", $"{provider} could not be reached to check the key; nothing was stored."),
        _ => null,
    };

    private static async Task<KeyCheck> CheckAsync(IValidatesKeys validator, string apiKey, CancellationToken ct)
    {
        try
        {
            await validator.ValidateKeyAsync(apiKey, ct);
            return KeyCheck.Accepted;
        }
        catch (ProviderException e)
        {
            return e.Kind == ProviderFailureKind.Permanent ? KeyCheck.Refused : KeyCheck.Unreachable;
        }
    }
}
