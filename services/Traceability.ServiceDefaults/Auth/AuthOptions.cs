namespace Traceability.ServiceDefaults.Auth;

/// <summary>Options section "Auth", validated at start.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>
    /// The authority's bootstrap key chosen by the operator; unset, one is generated (256 bits).
    /// A chosen key must carry at least 128 bits (see <see cref="AdminKeyStrength"/>).
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// Failed authentications (unknown, revoked or malformed keys: bearer or console sign-in) one
    /// client address may make per window; after that every request of it that carries a key is
    /// answered 429 until the window ends. Successes never count, so a client with a valid key is
    /// never slowed; 0 switches the limit off.
    /// </summary>
    [Range(0, 1_000_000)]
    public int FailureLimit { get; set; } = 30;

    [Range(1, 86_400)]
    public int FailureWindowSeconds { get; set; } = 60;
}

/// <summary>
/// An operator's admin key must be as hard to guess as 32 random characters: at least 32
/// characters, ≥ 128 bits by the size of the character classes it uses, and no short repeated
/// pattern. `openssl rand -hex 16` (32 hex digits) or `openssl rand -base64 24` qualify.
/// </summary>
public static class AdminKeyStrength
{
    public const int MinimumLength = 32;
    public const double MinimumBits = 128;

    /// <summary>Why <paramref name="key"/> is too weak, or null when it is strong enough.</summary>
    public static string? Weakness(string key)
    {
        if (key.Length < MinimumLength)
            return $"it has {key.Length} characters, fewer than {MinimumLength}";
        if (EstimatedBits(key) < MinimumBits)
            return $"it uses too few kinds of characters (about {EstimatedBits(key):0} bits, fewer than {MinimumBits})";
        // 32 random hex digits show about 14 distinct ones (fewer than 10 once in 10,000 keys);
        // under 8 means a pattern such as "abcdabcd…".
        if (key.Distinct().Count() < 8)
            return $"it repeats a few characters ({key.Distinct().Count()} distinct, at least 8 needed)";
        return null;
    }

    /// <summary>Length × log2 of the union of character classes present (digits, lower, upper, other printable).</summary>
    public static double EstimatedBits(string key)
    {
        var alphabet = (key.Any(char.IsAsciiDigit) ? 10 : 0) + (key.Any(char.IsAsciiLetterLower) ? 26 : 0)
            + (key.Any(char.IsAsciiLetterUpper) ? 26 : 0) + (key.Any(c => !char.IsAsciiLetterOrDigit(c)) ? 33 : 0);
        return key.Length * Math.Log2(Math.Max(alphabet, 1));
    }
}

/// <summary>Refuses to start with a weak operator-chosen admin key, naming the key and what to do.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        if (string.IsNullOrEmpty(options.AdminKey) || AdminKeyStrength.Weakness(options.AdminKey) is not { } weakness)
            return ValidateOptionsResult.Success;
        return ValidateOptionsResult.Fail(
            $"Auth:AdminKey (Auth__AdminKey) is too weak: {weakness}. Use at least {AdminKeyStrength.MinimumLength} random " +
            "characters (128 bits), e.g. the output of `openssl rand -hex 16`, or leave it unset to have a key generated.");
    }
}
