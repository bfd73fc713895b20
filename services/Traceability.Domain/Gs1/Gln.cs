namespace Traceability.Domain.Gs1;

/// <summary>A GS1 Global Location Number: 13 digits with a check digit.</summary>
public readonly record struct Gln
{
    private Gln(string value) => Value = value;

    public string Value { get; }

    public override string ToString() => Value;

    public static bool TryParse(string? text, out Gln gln, out string? error)
    {
        gln = default;
        if (string.IsNullOrEmpty(text) || text.Length != 13 || !text.All(char.IsAsciiDigit))
        {
            error = "GLN must have exactly 13 digits.";
            return false;
        }
        if (!Gs1CheckDigit.IsValid(text))
        {
            error = $"GLN check digit is wrong: expected {Gs1CheckDigit.Compute(text.AsSpan(0, 12))}.";
            return false;
        }
        gln = new Gln(text);
        error = null;
        return true;
    }
}
