namespace Traceability.Domain.Gs1;

/// <summary>Syntax rules of GS1 application identifier values.</summary>
public static class Gs1Syntax
{
    // GS1 General Specifications, figure 7.11-1: the 82 characters allowed in most AI values.
    private const string Set82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
    private static readonly System.Buffers.SearchValues<char> Set82Values = System.Buffers.SearchValues.Create(Set82);

    /// <summary>Lot (AI 10) or serial (AI 21): 1–20 characters of set 82.</summary>
    public static bool IsValidLotOrSerial(string? value, string what, out string? error)
    {
        if (string.IsNullOrEmpty(value))
            error = $"{what} is missing.";
        else if (value.Length > 20)
            error = $"{what} is {value.Length} characters long; at most 20 are allowed.";
        else if (value.AsSpan().IndexOfAnyExcept(Set82Values) is var bad and >= 0)
            error = $"{what} contains '{value[bad]}', which is not allowed in GS1 AI values (character set 82).";
        else
            error = null;
        return error is null;
    }

    public static bool IsValidLot(string? value, out string? error) => IsValidLotOrSerial(value, "Lot", out error);

    public static bool IsValidSerial(string? value, out string? error) => IsValidLotOrSerial(value, "Serial", out error);

    /// <summary>A GS1 company prefix: 4 to 12 digits.</summary>
    public static bool IsValidCompanyPrefix(string? value) =>
        value is { Length: >= 4 and <= 12 } && value.All(char.IsAsciiDigit);
}
