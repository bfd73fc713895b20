namespace Traceability.Domain.DigitalLinks;

/// <summary>What a scanned text identifies. Text is kept exactly as scanned (the signature covers it).</summary>
public sealed record ScannedCode(string Text, Gtin Gtin, string? Lot, string? Serial, DateOnly? Expiry, bool IsDigitalLink)
{
    /// <summary>
    /// Accepts a GS1 Digital Link on any host (or a bare `/01/…` path), a GS1 element string with
    /// brackets `(01)…(17)…(10)…(21)…` or as encoded in a barcode (optional `]d2`/`]Q3`/`]C1`
    /// symbology prefix, FNC1 as the GS character), or a bare GTIN-8/12/13/14.
    /// </summary>
    public static bool TryParse(string? input, out ScannedCode code, out string? error)
    {
        code = null!;
        var text = input?.Trim() ?? "";
        if (text.Length == 0) return Fail("The code is empty.", out error);
        if (text.Length > 2048) return Fail("The code is longer than 2048 characters.", out error);

        if (text.StartsWith('/') || text.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!DigitalLink.TryParse(text, out var link, out error)) return false;
            DateOnly? expiry = link.Attributes.TryGetValue("17", out var yymmdd) ? Gs1Date(yymmdd) : null;
            code = new ScannedCode(text, link.Gtin, link.Lot, link.Serial, expiry, IsDigitalLink: true);
            return true;
        }
        if (text.All(char.IsAsciiDigit) && text.Length is 8 or 12 or 13 or 14)
        {
            if (!Gtin.TryParse(text, out var gtin, out error)) return false;
            code = new ScannedCode(text, gtin, null, null, null, IsDigitalLink: false);
            return true;
        }
        var elements = text.StartsWith('(') ? Bracketed(text, out error) : Raw(text, out error);
        if (elements is null) return false;
        return FromElements(text, elements, out code, out error);
    }

    private static bool FromElements(string text, Dictionary<string, string> ai, out ScannedCode code, out string? error)
    {
        code = null!;
        if (!ai.TryGetValue("01", out var gtinText)) return Fail("The element string has no GTIN (AI 01).", out error);
        if (!Gtin.TryParse(gtinText, out var gtin, out error)) return false;
        var lot = ai.GetValueOrDefault("10");
        var serial = ai.GetValueOrDefault("21");
        if (lot is not null && !Gs1Syntax.IsValidLot(lot, out error)) return false;
        if (serial is not null && !Gs1Syntax.IsValidSerial(serial, out error)) return false;
        DateOnly? expiry = null;
        if (ai.TryGetValue("17", out var yymmdd) && (expiry = Gs1Date(yymmdd)) is null)
            return Fail("The expiry date (AI 17) must be YYMMDD.", out error);
        code = new ScannedCode(text, gtin, lot, serial, expiry, IsDigitalLink: false);
        error = null;
        return true;
    }

    private static Dictionary<string, string>? Bracketed(string text, out string? error)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '(') return Null($"Expected '(' at position {i + 1}.", out error);
            var close = text.IndexOf(')', i);
            if (close < 0) return Null("An application identifier is not closed with ')'.", out error);
            var ai = text[(i + 1)..close];
            var next = text.IndexOf('(', close);
            var value = next < 0 ? text[(close + 1)..] : text[(close + 1)..next];
            if (!ai.All(char.IsAsciiDigit) || ai.Length is < 2 or > 4) return Null($"'({ai})' is not an application identifier.", out error);
            if (!result.TryAdd(ai, value)) return Null($"AI ({ai}) appears twice.", out error);
            i = next < 0 ? text.Length : next;
        }
        error = null;
        return result;
    }

    /// <summary>Unbracketed: fixed-length AIs 01 (14) and 17/11/13/15 (6); 10 and 21 end at GS or the end.</summary>
    private static Dictionary<string, string>? Raw(string text, out string? error)
    {
        foreach (var prefix in new[] { "]d2", "]Q3", "]C1", "]e0" })
            if (text.StartsWith(prefix, StringComparison.Ordinal)) text = text[prefix.Length..];
        text = text.TrimStart('\x1d');
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < text.Length)
        {
            if (i + 2 > text.Length) return Null("The element string ends in the middle of an application identifier.", out error);
            var ai = text.Substring(i, 2);
            i += 2;
            int length = ai switch { "01" or "02" => 14, "11" or "13" or "15" or "17" => 6, "10" or "21" => -1, _ => 0 };
            if (length == 0) return Null($"The code is not a GS1 Digital Link, element string or GTIN (unexpected '{ai}').", out error);
            string value;
            if (length > 0)
            {
                if (i + length > text.Length) return Null($"AI ({ai}) needs {length} digits.", out error);
                value = text.Substring(i, length);
                i += length;
            }
            else
            {
                var end = text.IndexOf('\x1d', i);
                value = end < 0 ? text[i..] : text[i..end];
                i = end < 0 ? text.Length : end + 1;
            }
            if (!result.TryAdd(ai, value)) return Null($"AI ({ai}) appears twice.", out error);
        }
        error = null;
        return result;
    }

    private static DateOnly? Gs1Date(string yymmdd) => Gs1Date(yymmdd, DateTime.UtcNow.AddHours(7).Year); // the year in Vietnam

    /// <summary>
    /// A GS1 date YYMMDD (AI 17 and the other date AIs); DD 00 is the last day of the month. The
    /// century follows GS1 General Specifications 7.12: with B = YY minus the current year's last two
    /// digits, B from 51 to 99 means the previous century, B from -99 to -50 the next one, anything
    /// else the current one — so the year lies within 49 years before and 50 years after the current year.
    /// </summary>
    public static DateOnly? Gs1Date(string yymmdd, int currentYear)
    {
        ArgumentNullException.ThrowIfNull(yymmdd);
        if (yymmdd.Length != 6 || !yymmdd.All(char.IsAsciiDigit)) return null;
        var yy = int.Parse(yymmdd.AsSpan(0, 2), CultureInfo.InvariantCulture);
        var mm = int.Parse(yymmdd.AsSpan(2, 2), CultureInfo.InvariantCulture);
        var dd = int.Parse(yymmdd.AsSpan(4, 2), CultureInfo.InvariantCulture);
        if (mm is < 1 or > 12) return null;
        var century = currentYear - currentYear % 100;
        var b = yy - currentYear % 100;
        var year = century + yy + (b >= 51 ? -100 : b <= -50 ? 100 : 0);
        if (year is < 1 or > 9999) return null;
        var days = DateTime.DaysInMonth(year, mm);
        if (dd > days) return null;
        return new DateOnly(year, mm, dd == 0 ? days : dd);
    }

    private static bool Fail(string reason, out string? error)
    {
        error = reason;
        return false;
    }

    private static Dictionary<string, string>? Null(string reason, out string? error)
    {
        error = reason;
        return null;
    }
}
