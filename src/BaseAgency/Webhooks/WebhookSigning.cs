using System.Security.Cryptography;
using System.Text;

namespace BaseAgency.Webhooks;

/// <summary>
/// The Standard Webhooks scheme (standardwebhooks.com), so receivers verify with its public libraries: a secret is
/// <c>whsec_</c> + base64 of random bytes; the signature is <c>v1,</c> + base64 HMAC-SHA256, keyed with the decoded secret,
/// of <c>{webhook-id}.{webhook-timestamp}.{body}</c>; several signatures (a rotation's overlap) are separated by spaces.
/// </summary>
public static class WebhookSigning
{
    public const string SecretPrefix = "whsec_";
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        CryptographicOperations.ZeroMemory(key);
        return "v1," + Convert.ToBase64String(mac);
    }

    /// <summary>The header value: one signature per secret, space-separated.</summary>
    public static string SignatureOf(IEnumerable<string> secrets, string id, long timestamp, string body) =>
        string.Join(' ', secrets.Select(s => Sign(s, id, timestamp, body)));
}
