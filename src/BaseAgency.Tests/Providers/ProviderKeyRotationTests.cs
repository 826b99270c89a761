using BaseAgency.Organizations;
using BaseAgency.Providers.Keys;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Providers;

[Collection(ProvidersAppCollection.Name)]
public sealed class ProviderKeyRotationTests(ProvidersAppFixture app)
{
    [Fact]
    public async Task Rotating_the_encryption_key_reseals_every_stored_key()
    {
        var (org, token) = await app.Host.BusinessCustomerAsync();
        await app.Host.AddProviderKeyAsync(token, "freepik", FakeProviders.CustomerKey("freepik"), 201);
        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        var newKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        // As an operator would: the new key added and made active, the old one still listed.
        var rotated = new KeyVault("rotated-1", new Dictionary<string, byte[]> { ["test-1"] = app.EncryptionKey, ["rotated-1"] = newKey });

        (await ProviderKeyRotation.ReencryptAllAsync(store, rotated, default)).ShouldBeGreaterThanOrEqualTo(1);

        await using var session = store.QueryFor(org);
        var sealedKey = (await session.LoadAsync<ProviderKey>("freepik"))!;
        sealedKey.Secret.KeyId.ShouldBe("rotated-1");
        var onlyNew = new KeyVault("rotated-1", new Dictionary<string, byte[]> { ["rotated-1"] = newKey });
        onlyNew.Open(sealedKey.Secret, ProviderKey.AssociatedData(org, "freepik")).ShouldBe(FakeProviders.CustomerKey("freepik"));
        // Bound to its organization: the same sealed secret does not open for another.
        Should.Throw<System.Security.Cryptography.AuthenticationTagMismatchException>(() =>
            onlyNew.Open(sealedKey.Secret, ProviderKey.AssociatedData(Guid.NewGuid(), "freepik")));
        (await ProviderKeyRotation.ReencryptAllAsync(store, rotated, default)).ShouldBe(0); // nothing left to do
    }
}
