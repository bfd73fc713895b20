namespace Traceability.Domain.DigitalLinks;

/// <summary>
/// A GS1 Digital Link URI with primary key GTIN (AI 01) and the key qualifiers CPV (22),
/// lot (10) and serial (21), plus query attributes such as expiry (17).
/// </summary>
public sealed record DigitalLink(
    Gtin Gtin,
    string? Cpv = null,
    string? Lot = null,
    string? Serial = null,
    IReadOnlyDictionary<string, string>? Attributes = null)
{
    /// <summary>The resolver every GS1 Digital Link may be rewritten to.</summary>
    public const string CanonicalHost = "https://id.gs1.org";

    // Short names from the Digital Link standard's convenience alphas.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["gtin"] = "01", ["cpv"] = "22", ["lot"] = "10", ["ser"] = "21",
    };

    private static readonly string[] QualifierOrder = ["22", "10", "21"];

    public IReadOnlyDictionary<string, string> Attributes { get; init; } = Attributes ?? new Dictionary<string, string>();

    /// <summary>`/01/{gtin14}[/22/{cpv}][/10/{lot}][/21/{serial}]`, percent-encoded.</summary>
    public string Path
    {
        get
        {
            var sb = new StringBuilder("/01/").Append(Gtin.Value);
            if (Cpv is not null) sb.Append("/22/").Append(Uri.EscapeDataString(Cpv));
            if (Lot is not null) sb.Append("/10/").Append(Uri.EscapeDataString(Lot));
            if (Serial is not null) sb.Append("/21/").Append(Uri.EscapeDataString(Serial));
            return sb.ToString();
        }
    }

    /// <summary>The path plus query attributes in a stable (sorted) order.</summary>
    public string PathAndQuery => Attributes.Count == 0
        ? Path
        : Path + "?" + string.Join('&', Attributes.OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => Uri.EscapeDataString(a.Key) + "=" + Uri.EscapeDataString(a.Value)));

    /// <summary>The link on a given host, e.g. this service's public base URL.</summary>
    public string ToUri(string baseUrl, bool withAttributes = true) =>
        baseUrl.TrimEnd('/') + (withAttributes ? PathAndQuery : Path);

    public override string ToString() => ToUri(CanonicalHost);

    /// <summary>The same link without serial or attributes: the lot (or product) it belongs to.</summary>
    public DigitalLink WithoutSerial() => this with { Serial = null, Attributes = new Dictionary<string, string>() };

    public static DigitalLink Parse(string text) =>
        TryParse(text, out var link, out var error) ? link : throw new FormatException(error);

    /// <summary>
    /// Parses an absolute Digital Link URI on any host, or a path starting at the primary key.
    /// A path prefix before `/01/` is allowed, as the standard permits.
    /// </summary>
    public static bool TryParse(string? text, out DigitalLink link, out string? error)
    {
        link = null!;
        if (string.IsNullOrWhiteSpace(text))
            return Fail("The code is empty.", out error);
        if (text.Length > 2048)
            return Fail("The code is longer than 2048 characters.", out error);

        string path, query;
        if (text.StartsWith('/'))
        {
            var q = text.IndexOf('?');
            (path, query) = q < 0 ? (text, "") : (text[..q], text[(q + 1)..]);
        }
        else if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            path = uri.AbsolutePath;
            query = uri.Query.TrimStart('?');
        }
        else
        {
            return Fail("The code is not an http(s) GS1 Digital Link URI or a path starting with /01/.", out error);
        }
        var hash = query.IndexOf('#');
        if (hash >= 0) query = query[..hash];

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var start = Array.FindIndex(segments, s => s == "01" || s == "gtin");
        if (start < 0)
            return Fail("The path has no GTIN (/01/{gtin}).", out error);
        var pairs = segments.AsSpan(start);
        if (pairs.Length % 2 != 0)
            return Fail($"The path ends with '{pairs[^1]}' without a value.", out error);

        Gtin gtin = default;
        string? cpv = null, lot = null, serial = null;
        var lastQualifier = -1;
        for (var i = 0; i < pairs.Length; i += 2)
        {
            var ai = Aliases.GetValueOrDefault(pairs[i], pairs[i]);
            string value;
            // Uri.UnescapeDataString keeps a broken escape ("50%", "%ZZ") as text: that would make a
            // different code out of a mistyped one, so it is refused.
            if (!IsWellEscaped(pairs[i + 1])) return Fail($"The value of AI {ai} is not correctly percent-encoded.", out error);
            value = Uri.UnescapeDataString(pairs[i + 1]);

            if (i == 0)
            {
                if (!Gtin.TryParse(value, out gtin, out var gtinError))
                    return Fail(gtinError!, out error);
                continue;
            }
            var order = Array.IndexOf(QualifierOrder, ai);
            if (order < 0)
                return Fail($"AI {ai} is not a key qualifier of a GTIN (allowed: 22, 10, 21).", out error);
            if (order <= lastQualifier)
                return Fail("Key qualifiers must appear once each, in the order /22/, /10/, /21/.", out error);
            lastQualifier = order;
            switch (ai)
            {
                case "22":
                    if (value.Length is 0 or > 20) return Fail("CPV must have 1–20 characters.", out error);
                    cpv = value;
                    break;
                case "10":
                    if (!Gs1Syntax.IsValidLot(value, out var lotError)) return Fail(lotError!, out error);
                    lot = value;
                    break;
                default:
                    if (!Gs1Syntax.IsValidSerial(value, out var serialError)) return Fail(serialError!, out error);
                    serial = value;
                    break;
            }
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            if (IsWellEscaped(key) && IsWellEscaped(value))
            {
                attributes[Uri.UnescapeDataString(key.Replace('+', ' '))] = Uri.UnescapeDataString(value.Replace('+', ' '));
            }
            else
            {
                return Fail($"The query attribute '{key}' is not correctly percent-encoded.", out error);
            }
        }
        if (attributes.TryGetValue("17", out var expiry) && !IsYyMmDd(expiry))
            return Fail("The expiry date (AI 17) must be YYMMDD.", out error);

        link = new DigitalLink(gtin, cpv, lot, serial, attributes);
        error = null;
        return true;
    }

    private static bool IsYyMmDd(string s) =>
        s.Length == 6 && s.All(char.IsAsciiDigit) && int.Parse(s.AsSpan(2, 2)) is >= 1 and <= 12
        && int.Parse(s.AsSpan(4, 2)) is >= 0 and <= 31;

    private static bool Fail(string reason, out string? error)
    {
        error = reason;
        return false;
    }

    /// <summary>Every '%' starts an escape of two hex digits.</summary>
    private static bool IsWellEscaped(string text)
    {
        for (var i = text.IndexOf('%'); i >= 0; i = text.IndexOf('%', i + 1))
            if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2])) return false;
        return true;
    }
}
