using JasperFx.CommandLine;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Providers.Keys;

/// <summary>
/// <c>dotnet BaseAgency.dll reencrypt-provider-keys</c>: after a new encryption key is added and made active
/// (Encryption__Keys__&lt;new&gt;, Encryption__ActiveKeyId=&lt;new&gt;, the old key still listed), re-seals every
/// stored provider key with it; the old key can then be removed.
/// </summary>
[Description("Re-encrypt every stored provider API key with the active encryption key", Name = "reencrypt-provider-keys")]
public sealed class ReencryptProviderKeysCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public override async Task<bool> Execute(NetCoreInput input)
    {
        using var host = input.BuildHost();
        var vault = host.Services.GetRequiredService<KeyVault>();
        var count = await ProviderKeyRotation.ReencryptAllAsync(host.Services.GetRequiredService<IDocumentStore>(), vault, CancellationToken.None);
        Console.WriteLine($"Re-encrypted {count} provider key(s) with encryption key '{vault.ActiveKeyId}'.");
        return true;
    }
}
