using BaseAgency.Providers;
using BaseAgency.Providers.Keys;
using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.AddProviderKey;

public sealed class AddProviderKeyValidator : Validator<AddProviderKeyRequest>
{
    public AddProviderKeyValidator()
    {
        RuleFor(x => x.Provider).NotEmpty().Must(p => ProviderSetup.External.ContainsKey(ProviderKey.IdFor(p ?? "")))
            .WithMessage($"One of {string.Join(", ", ProviderSetup.External.Keys)}.");
        // The message never repeats the value: it is a secret.
        RuleFor(x => x.ApiKey).NotEmpty().Length(8, 500).Must(k => k is null || !k.Any(char.IsWhiteSpace))
            .WithMessage("An API key of 8 to 500 characters without spaces.");
    }
}
