namespace Traceability.Domain.Epcis;

public static partial class EpcisJson
{
    // ISO 8601 date-time that must carry Z or an offset (EPCIS requires the offset).
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimeWithOffset();

    [GeneratedRegex(@"^[+-]\d{2}:\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex TimeZoneOffset();

    internal static bool TryParseTime(string? text, out DateTimeOffset value, out string? error)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "The time is missing.";
            return false;
        }
        if (!DateTimeWithOffset().IsMatch(text))
        {
            error = $"'{text}' is not an ISO 8601 date-time with a time zone (e.g. 2026-05-01T08:00:00+07:00 or …Z).";
            return false;
        }
        // .NET reads at most 7 fractional digits; EPCIS allows more, which cannot matter at 100 ns.
        var dot = text.IndexOf('.');
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
            if (end - dot - 1 > 7) text = text[..(dot + 8)] + text[end..];
        }
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value))
        {
            error = $"'{text}' is not a valid date-time.";
            return false;
        }
        error = null;
        return true;
    }

    private static string FormatOffset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}
