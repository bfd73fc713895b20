using Traceability.Domain.DigitalLinks;

namespace Traceability.Domain.Epcis;

/// <summary>
/// An identifier of an EPCIS event in canonical form.
/// Key: Digital Link path without leading slash (`01/{gtin14}/10/{lot}/21/{serial}`, `00/{sscc}`, `414/{gln}`…).
/// HashUri: the constrained canonical Digital Link used by the CBV 2.0 event hash (id.gs1.org host,
/// most fine-grained level only: a serial drops the lot, CPV dropped).
/// </summary>
public readonly record struct EpcId(string Key, Gtin? Gtin, string? LotKey, string HashUri);

/// <summary>Converts EPC URNs (id, class, idpat) and GS1 Digital Links on any host to canonical keys.</summary>
public static class EpcIdentifier
{
    private const string HashHost = "https://id.gs1.org/";

    // Primary-key AIs other than 01 that EPCIS events use as EPCs or locations.
    private static readonly string[] OtherKeyAis = ["00", "414", "417", "8003", "8004", "253", "8018"];

    /// <summary>Canonical key `01/…` (no leading slash); error says why the value is not a GS1 key.</summary>
    public static bool TryToKey(string? urnOrDigitalLink, out string key, out string? error)
    {
        var ok = TryParse(urnOrDigitalLink, out var id, out error);
        key = ok ? id.Key : "";
        return ok;
    }

    /// <summary>
    /// A location (readPoint/bizLocation id, or an EQ_readPoint query value) as a canonical key:
    /// `414/{gln}[/254/{ext}]` for SGLN URNs and Digital Links, otherwise the trimmed URI unchanged.
    /// </summary>
    public static string ToLocationKey(string uri) =>
        TryParse(uri, out var id, out _) ? id.Key : uri.Trim();

    /// <summary>
    /// The GLN of a place (AI 414) or a party (AI 417) named in any GS1 form (`414/…`, a Digital Link,
    /// an SGLN or PGLN URN); null for anything else (e.g. a producer's private location URN).
    /// </summary>
    public static string? GlnOf(string identifier)
    {
        var key = ToLocationKey(identifier);
        return key.Length >= 17 && (key.StartsWith("414/", StringComparison.Ordinal) || key.StartsWith("417/", StringComparison.Ordinal))
            ? key.Substring(4, 13)
            : null;
    }

    public static bool TryParse(string? text, out EpcId id, out string? error)
    {
        id = default;
        if (string.IsNullOrWhiteSpace(text))
            return Fail("The identifier is empty.", out error);
        text = text.Trim();
        if (text.StartsWith("urn:epc:", StringComparison.Ordinal))
            return TryParseUrn(text, out id, out error);
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith('/'))
            return TryParseDigitalLink(text, out id, out error);
        if (text.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
            // Valid EPCIS (e.g. urn:gdst:… classes), but nothing here could tie it to a registered product or lot.
            return Fail($"'{Shorten(text)}' is a private identifier. EPCIS allows it, but this repository accepts only GS1 identifiers " +
                        "(EPC URNs urn:epc:… or GS1 Digital Links) here, because every event must name products and lots registered by its producer.", out error);
        return Fail($"'{Shorten(text)}' is neither an EPC URN (urn:epc:…) nor a GS1 Digital Link.", out error);
    }

    // ---- EPC URNs (GS1 EPC Tag Data Standard, pure identity / class / id pattern URIs) ----

    private static bool TryParseUrn(string urn, out EpcId id, out string? error)
    {
        id = default;
        var lastColon = urn.LastIndexOf(':');
        var scheme = urn[..lastColon];
        var body = urn[(lastColon + 1)..];
        switch (scheme)
        {
            case "urn:epc:id:sgtin":
            case "urn:epc:class:lgtin":
            {
                var p = body.Split('.', 3);
                if (p.Length != 3)
                    return Fail($"'{urn}' must be {scheme}:CompanyPrefix.ItemRef.{(scheme.EndsWith("sgtin") ? "Serial" : "Lot")}.", out error);
                if (!TryGtinFromParts(p[0], p[1], out var gtin, out error))
                    return false;
                if (!TryUnescapeUrn(p[2], out var value))
                    return Fail($"'{urn}' is not correctly percent-encoded.", out error);
                if (scheme.EndsWith("sgtin"))
                {
                    if (!Gs1Syntax.IsValidSerial(value, out error)) return false;
                    id = Gtin01(gtin, null, value);
                }
                else
                {
                    if (!Gs1Syntax.IsValidLot(value, out error)) return false;
                    id = Gtin01(gtin, value, null);
                }
                return Ok(out error);
            }
            case "urn:epc:idpat:sgtin":
            {
                var p = body.Split('.');
                if (p.Length != 3 || p[2] != "*")
                    return Fail($"'{urn}' must be urn:epc:idpat:sgtin:CompanyPrefix.ItemRef.* (a whole GTIN).", out error);
                if (!TryGtinFromParts(p[0], p[1], out var gtin, out error))
                    return false;
                id = Gtin01(gtin, null, null);
                return Ok(out error);
            }
            case "urn:epc:id:sscc":
            {
                var p = body.Split('.');
                if (p.Length != 2 || !IsCompanyPrefix(p[0]) || !AllDigits(p[1]) || p[0].Length + p[1].Length != 17)
                    return Fail($"'{urn}' must be urn:epc:id:sscc:CompanyPrefix.SerialRef with 17 digits in all.", out error);
                var sscc = WithCheckDigit(p[1][..1] + p[0] + p[1][1..]);
                id = Simple("00/" + sscc);
                return Ok(out error);
            }
            case "urn:epc:id:sgln":
            case "urn:epc:id:pgln":
            {
                var isSgln = scheme.EndsWith("sgln");
                var p = body.Split('.', isSgln ? 3 : 2);
                if (p.Length != (isSgln ? 3 : 2) || !IsCompanyPrefix(p[0]) || !AllDigits(p[1]) || p[0].Length + p[1].Length != 12)
                    return Fail($"'{urn}' must be {scheme}:CompanyPrefix.LocationRef{(isSgln ? ".Extension" : "")} with 12 digits before the extension.", out error);
                var gln = WithCheckDigit(p[0] + p[1]);
                if (!isSgln)
                {
                    id = Simple("417/" + gln);
                    return Ok(out error);
                }
                if (!TryUnescapeUrn(p[2], out var ext) || ext.Length is 0 or > 20)
                    return Fail($"The extension of '{urn}' must have 1–20 characters.", out error);
                id = Simple(ext == "0" ? "414/" + gln : "414/" + gln + "/254/" + Uri.EscapeDataString(ext));
                return Ok(out error);
            }
            case "urn:epc:id:grai":
            case "urn:epc:id:gdti":
            {
                var p = body.Split('.', 3);
                if (p.Length != 3 || !IsCompanyPrefix(p[0]) || !AllDigits(p[1]) || p[0].Length + p[1].Length != 12)
                    return Fail($"'{urn}' must be {scheme}:CompanyPrefix.TypeRef.Serial with 12 digits before the serial.", out error);
                if (!TryUnescapeUrn(p[2], out var serial))
                    return Fail($"'{urn}' is not correctly percent-encoded.", out error);
                id = scheme.EndsWith("grai")
                    ? Simple("8003/" + WithCheckDigit("0" + p[0] + p[1]) + Uri.EscapeDataString(serial))
                    : Simple("253/" + WithCheckDigit(p[0] + p[1]) + Uri.EscapeDataString(serial));
                return Ok(out error);
            }
            case "urn:epc:id:giai":
            {
                var p = body.Split('.', 2);
                if (p.Length != 2 || !IsCompanyPrefix(p[0]) || !TryUnescapeUrn(p[1], out var asset) || p[0].Length + asset.Length > 30)
                    return Fail($"'{urn}' must be urn:epc:id:giai:CompanyPrefix.AssetRef (at most 30 characters).", out error);
                id = Simple("8004/" + p[0] + Uri.EscapeDataString(asset));
                return Ok(out error);
            }
            case "urn:epc:id:gsrn":
            {
                var p = body.Split('.');
                if (p.Length != 2 || !IsCompanyPrefix(p[0]) || !AllDigits(p[1]) || p[0].Length + p[1].Length != 17)
                    return Fail($"'{urn}' must be urn:epc:id:gsrn:CompanyPrefix.ServiceRef with 17 digits in all.", out error);
                id = Simple("8018/" + WithCheckDigit(p[0] + p[1]));
                return Ok(out error);
            }
            default:
                return Fail($"'{Shorten(urn)}' uses an EPC scheme that is not supported (sgtin, lgtin, idpat:sgtin, sscc, sgln, pgln, grai, giai, gdti, gsrn are).", out error);
        }
    }

    private static bool TryGtinFromParts(string companyPrefix, string itemRef, out Gtin gtin, out string? error)
    {
        gtin = default;
        if (!IsCompanyPrefix(companyPrefix) || !AllDigits(itemRef) || companyPrefix.Length + itemRef.Length != 13)
        {
            error = "The company prefix (6–12 digits) and item reference must have 13 digits in all.";
            return false;
        }
        var digits = itemRef[..1] + companyPrefix + itemRef[1..];
        return Gtin.TryParse(WithCheckDigit(digits), out gtin, out error);
    }

    // ---- Digital Links ----

    private static bool TryParseDigitalLink(string text, out EpcId id, out string? error)
    {
        id = default;
        string path;
        if (text.StartsWith('/'))
            path = text.Split('?', '#')[0];
        else if (Uri.TryCreate(text, UriKind.Absolute, out var uri))
            path = uri.AbsolutePath;
        else
            return Fail($"'{Shorten(text)}' is not a valid URI.", out error);

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var start = Array.FindIndex(segments, s => s is "01" or "gtin" || OtherKeyAis.Contains(s));
        if (start < 0)
            return Fail($"'{Shorten(text)}' is a URI without a GS1 primary key (/01/, /00/, /414/, /417/, /8003/, /8004/, /253/, /8018/).", out error);
        if (segments[start] is "01" or "gtin")
        {
            if (!DigitalLink.TryParse(text, out var link, out error))
                return false;
            id = Gtin01(link.Gtin, link.Lot, link.Serial, link.Cpv);
            return true;
        }
        var rest = segments.AsSpan(start);
        if (rest.Length < 2)
            return Fail($"'{Shorten(text)}' has AI {rest[0]} without a value.", out error);
        string value;
        try { value = Uri.UnescapeDataString(rest[1]); }
        catch (UriFormatException) { return Fail($"The value of AI {rest[0]} is not correctly percent-encoded.", out error); }
        var ai = rest[0];
        var valid = ai switch
        {
            "00" => value.Length == 18 && Gs1CheckDigit.IsValid(value),
            "414" or "417" => value.Length == 13 && Gs1CheckDigit.IsValid(value),
            "8018" => value.Length == 18 && Gs1CheckDigit.IsValid(value),
            "8003" => value.Length is >= 14 and <= 30 && Gs1CheckDigit.IsValid(value[..14]) && value[0] == '0',
            "253" => value.Length is >= 13 and <= 30 && Gs1CheckDigit.IsValid(value[..13]),
            _ => value.Length is >= 1 and <= 30 && Gs1Syntax.IsValidLotOrSerial(value[..Math.Min(20, value.Length)], "Asset", out _),
        };
        if (!valid)
            return Fail($"The value '{value}' of AI {ai} is not valid (length or check digit).", out error);
        var key = new StringBuilder(ai).Append('/').Append(Uri.EscapeDataString(value));
        if (ai == "414" && rest.Length >= 4 && rest[2] == "254")
        {
            var ext = Uri.UnescapeDataString(rest[3]);
            if (ext.Length is 0 or > 20) return Fail("The GLN extension (AI 254) must have 1–20 characters.", out error);
            key.Append("/254/").Append(Uri.EscapeDataString(ext));
        }
        id = Simple(key.ToString());
        return Ok(out error);
    }

    // ---- helpers ----

    private static EpcId Gtin01(Gtin gtin, string? lot, string? serial, string? cpv = null)
    {
        var key = new StringBuilder("01/").Append(gtin.Value);
        if (cpv is not null) key.Append("/22/").Append(Uri.EscapeDataString(cpv));
        if (lot is not null) key.Append("/10/").Append(Uri.EscapeDataString(lot));
        if (serial is not null) key.Append("/21/").Append(Uri.EscapeDataString(serial));
        var lotKey = lot is null ? null : $"01/{gtin.Value}/10/{Uri.EscapeDataString(lot)}";
        // The hash keeps only the most fine-grained level: serial beats lot, CPV is dropped.
        var hash = serial is not null ? $"{HashHost}01/{gtin.Value}/21/{Uri.EscapeDataString(serial)}"
            : lotKey is not null ? HashHost + lotKey
            : $"{HashHost}01/{gtin.Value}";
        return new EpcId(key.ToString(), gtin, lotKey, hash);
    }

    private static EpcId Simple(string key) => new(key, null, null, HashHost + key);

    private static string WithCheckDigit(string digits) => digits + Gs1CheckDigit.Compute(digits);

    private static bool IsCompanyPrefix(string s) => Gs1Syntax.IsValidCompanyPrefix(s);

    private static bool AllDigits(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);

    private static bool TryUnescapeUrn(string s, out string value)
    {
        value = "";
        if (s.Length == 0) return false;
        try { value = Uri.UnescapeDataString(s); }
        catch (UriFormatException) { return false; }
        return true;
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..77] + "...";

    private static bool Ok(out string? error)
    {
        error = null;
        return true;
    }

    private static bool Fail(string reason, out string? error)
    {
        error = reason;
        return false;
    }
}
