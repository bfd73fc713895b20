namespace Traceability.Domain.Gs1;

/// <summary>A GS1 Global Trade Item Number, always held in its 14-digit form.</summary>
public readonly record struct Gtin
{
    private Gtin(string value) => Value = value;

    /// <summary>The 14-digit form (GTIN-8/12/13 left-padded with zeros).</summary>
    public string Value { get; }

    public override string ToString() => Value;

    public static Gtin Parse(string text) =>
        TryParse(text, out var gtin, out var error) ? gtin : throw new FormatException(error);

    /// <summary>Accepts GTIN-8, -12, -13 and -14; checks digits and the GS1 check digit.</summary>
    public static bool TryParse(string? text, out Gtin gtin, out string? error)
    {
        gtin = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "GTIN is missing.";
            return false;
        }
        if (text.Length is not (8 or 12 or 13 or 14))
        {
            error = $"GTIN must have 8, 12, 13 or 14 digits, not {text.Length} characters.";
            return false;
        }
        if (!text.All(char.IsAsciiDigit))
        {
            error = "GTIN must contain digits only.";
            return false;
        }
        var expected = Gs1CheckDigit.Compute(text.AsSpan(0, text.Length - 1));
        if (text[^1] - '0' != expected)
        {
            error = $"GTIN check digit is wrong: expected {expected}, found {text[^1]}.";
            return false;
        }
        gtin = new Gtin(text.PadLeft(14, '0'));
        error = null;
        return true;
    }

    /// <summary>True when the company prefix follows the indicator digit (DESIGN §3).</summary>
    public bool HasCompanyPrefix(string companyPrefix) =>
        companyPrefix.Length is > 0 and < 13 && Value.AsSpan(1).StartsWith(companyPrefix, StringComparison.Ordinal);
}

/// <summary>The GS1 mod-10 check digit shared by GTIN, GLN and SSCC.</summary>
public static class Gs1CheckDigit
{
    public static int Compute(ReadOnlySpan<char> digitsWithoutCheck)
    {
        var sum = 0;
        // Weights alternate 3,1,3… starting from the digit next to the check digit.
        for (int i = digitsWithoutCheck.Length - 1, weight = 3; i >= 0; i--, weight = 4 - weight)
            sum += (digitsWithoutCheck[i] - '0') * weight;
        return (10 - sum % 10) % 10;
    }

    public static bool IsValid(string digits) =>
        digits.Length > 1 && digits.All(char.IsAsciiDigit)
        && Compute(digits.AsSpan(0, digits.Length - 1)) == digits[^1] - '0';
}
