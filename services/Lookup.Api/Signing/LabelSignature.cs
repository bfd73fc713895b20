namespace Traceability.Lookup.Api.Signing;

/// <summary>
/// The signature query attribute of a serialised label (format in services/Lookup.Api/Verification/README.md):
/// `{link}?sig={kid}.{base64url(ECDSA P-256 / SHA-256 signature, IEEE P1363 r||s, 64 bytes)}` where the
/// signed message is the UTF-8 text of the link exactly as printed, up to the `?` or `&` before `sig=`.
/// Pure functions: the inspector app and the offline check verify with the published keys only.
/// </summary>
public static class LabelSignature
{
    public const string Parameter = "sig";
    public const string Algorithm = "ES256";

    public enum Check { None, Valid, Invalid }

    /// <summary>Reason, when invalid: `malformed`, `unknown_key` or `mismatch` (the inspector app uses the same codes).</summary>
    public sealed record Result(Check Check, string? KeyId, string? Reason);

    /// <summary>Appends the signature attribute to an (unsigned) link.</summary>
    public static string Sign(string link, string keyId, ECDsa key)
    {
        var signature = key.SignData(Encoding.UTF8.GetBytes(link), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return link + (link.Contains('?') ? '&' : '?') + Parameter + "=" + keyId + "." + Base64Url(signature);
    }

    /// <summary>
    /// Splits a scanned text into the signed message and the signature attribute. False when the
    /// text carries no `sig` attribute at all; Malformed when it carries one in the wrong place or form.
    /// </summary>
    public static bool TrySplit(string text, out string message, out string keyId, out byte[] signature, out bool malformed)
    {
        message = keyId = "";
        signature = [];
        malformed = false;
        var at = Math.Max(text.LastIndexOf("?" + Parameter + "=", StringComparison.Ordinal), text.LastIndexOf("&" + Parameter + "=", StringComparison.Ordinal));
        if (at < 0) return false;
        message = text[..at];
        var value = text[(at + Parameter.Length + 2)..];
        var dot = value.IndexOf('.');
        // The attribute must be the last thing in the link, and its parts exact (no re-encoding accepted).
        if (dot <= 0 || value.IndexOfAny(['&', '#', '?']) >= 0 || !TryDecodeStrict(value[(dot + 1)..], out signature) || signature.Length != 64)
        {
            malformed = true;
            return true;
        }
        keyId = value[..dot];
        return true;
    }

    /// <summary>Checks a scanned text against public keys by key id.</summary>
    public static Result Verify(string text, Func<string, ECDsa?> publicKey)
    {
        if (!TrySplit(text, out var message, out var keyId, out var signature, out var malformed))
            return new(Check.None, null, null);
        if (malformed)
            return new(Check.Invalid, null, "malformed");
        var key = publicKey(keyId);
        if (key is null)
            return new(Check.Invalid, keyId, "unknown_key");
        var ok = key.VerifyData(Encoding.UTF8.GetBytes(message), signature, HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return ok ? new(Check.Valid, keyId, null) : new(Check.Invalid, keyId, "mismatch");
    }

    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// Decodes base64url and rejects every non-canonical form (padding bits set, '=' padding, other
    /// alphabets): otherwise two different texts would carry the same signature.
    /// </summary>
    public static bool TryDecodeStrict(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))) return false;
        var b64 = text.Replace('-', '+').Replace('_', '/');
        b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
        try
        {
            bytes = Convert.FromBase64String(b64);
        }
        catch (FormatException)
        {
            return false;
        }
        return Base64Url(bytes) == text;
    }
}
