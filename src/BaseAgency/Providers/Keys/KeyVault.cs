using System.Security.Cryptography;
using System.Text;
using BaseAgency.Secrets;

namespace BaseAgency.Providers.Keys;

/// <summary>A secret sealed with AES-256-GCM: which key sealed it, the random 12-byte nonce, the ciphertext and the tag.</summary>
public sealed record SealedSecret(string KeyId, string Nonce, string Ciphertext, string Tag);

/// <summary>
/// Seals and opens organizations' provider keys. Encryption keys come from configuration
/// (Encryption:Keys:&lt;id&gt;, base64, 32 bytes); the active one seals, every listed one opens, so a key can
/// be rotated: add the new one, make it active, run <c>reencrypt-provider-keys</c>, then drop the old one.
/// The associated data binds a sealed secret to its organization and provider: moved elsewhere, it will not open.
/// </summary>
public sealed class KeyVault
{
    private readonly Dictionary<string, byte[]> _keys;
    public string ActiveKeyId { get; }

    public KeyVault(IConfiguration config) : this(config[ServiceSecrets.ActiveEncryptionKeyId] ?? "",
        config.GetSection("Encryption:Keys").GetChildren().ToDictionary(k => k.Key, k => Convert.FromBase64String(k.Value ?? "")))
    {
    }

    public KeyVault(string activeKeyId, Dictionary<string, byte[]> keys)
    {
        if (!keys.TryGetValue(activeKeyId, out var active) || active.Length != 32)
            throw new InvalidOperationException($"The active encryption key '{activeKeyId}' (Encryption:Keys:{activeKeyId}) must be 32 bytes, base64.");
        ActiveKeyId = activeKeyId;
        _keys = keys;
    }

    public SealedSecret Seal(string plaintext, string associatedData)
    {
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var clear = Encoding.UTF8.GetBytes(plaintext);
        var cipher = new byte[clear.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(_keys[ActiveKeyId], tag.Length))
            aes.Encrypt(nonce, clear, cipher, tag, Encoding.UTF8.GetBytes(associatedData));
        CryptographicOperations.ZeroMemory(clear);
        return new SealedSecret(ActiveKeyId, Convert.ToBase64String(nonce), Convert.ToBase64String(cipher), Convert.ToBase64String(tag));
    }

    public string Open(SealedSecret secret, string associatedData)
    {
        if (!_keys.TryGetValue(secret.KeyId, out var key))
            throw new InvalidOperationException($"The encryption key '{secret.KeyId}' is not configured (Encryption:Keys:{secret.KeyId}).");
        var cipher = Convert.FromBase64String(secret.Ciphertext);
        var clear = new byte[cipher.Length];
        var tag = Convert.FromBase64String(secret.Tag);
        using var aes = new AesGcm(key, tag.Length);
        aes.Decrypt(Convert.FromBase64String(secret.Nonce), cipher, tag, clear, Encoding.UTF8.GetBytes(associatedData));
        return Encoding.UTF8.GetString(clear);
    }

    public bool CanOpen(SealedSecret secret) => _keys.ContainsKey(secret.KeyId);
}
