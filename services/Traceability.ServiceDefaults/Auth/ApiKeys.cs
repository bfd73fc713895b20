using System.Security.Cryptography;

namespace Traceability.ServiceDefaults.Auth;

/// <summary>
/// API keys look like <c>trc_{keyId}_{secret}</c>: the key id finds the stored record, the 256-bit
/// random secret is checked against a salted SHA-256 hash. A fast hash is enough here because the
/// secret is random and long (nothing to brute-force); comparison is constant-time.
/// </summary>
public static class ApiKeys
{
    private const string Prefix = "trc_";

    public static (string PlainText, ApiKeyRecord Record) Issue(
        Role role, DateTimeOffset now, string? producerId = null, string? inspectorId = null, string? keyId = null)
    {
        keyId ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var salt = RandomNumberGenerator.GetBytes(16);
        var record = new ApiKeyRecord(keyId, salt, Hash(salt, secret), role, producerId, inspectorId, now);
        return ($"{Prefix}{keyId}_{secret}", record);
    }

    /// <summary>Constant-time comparison of two keys of possibly different lengths.</summary>
    public static bool SameKey(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(expected)));

    /// <summary>Splits a presented key into key id and secret; false when it is not of our form.</summary>
    public static bool TrySplit(string presented, out string keyId, out string secret)
    {
        keyId = secret = "";
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var sep = presented.IndexOf('_', Prefix.Length);
        if (sep < 0 || sep == presented.Length - 1) return false;
        keyId = presented[Prefix.Length..sep];
        secret = presented[(sep + 1)..];
        return keyId.Length is > 0 and <= 64;
    }

    public static bool Verify(ApiKeyRecord record, string secret) =>
        record.RevokedAt is null && CryptographicOperations.FixedTimeEquals(Hash(record.Salt, secret), record.Hash);

    private static byte[] Hash(byte[] salt, string secret)
    {
        var input = new byte[salt.Length + System.Text.Encoding.UTF8.GetMaxByteCount(secret.Length)];
        salt.CopyTo(input, 0);
        var n = System.Text.Encoding.UTF8.GetBytes(secret, 0, secret.Length, input, salt.Length);
        return SHA256.HashData(input.AsSpan(0, salt.Length + n));
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '-');
}
