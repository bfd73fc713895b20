using System.Security.Cryptography;

namespace Traceability.Domain.Epcis;

/// <summary>
/// The CBV 2.0 event hash (CBV 2.0 §8.9), as implemented by GS1's reference generator
/// (github.com/RalphTro/epcis-event-hash-generator): a canonical pre-hash string of the event's
/// fields in a fixed order — UTC millisecond timestamps, sorted lists, expanded CBV URIs, EPC URNs
/// as constrained id.gs1.org Digital Links, ILMD and user extensions last — hashed with SHA-256.
/// </summary>
public static partial class EventHash
{
    private static readonly string[] EpcFields = ["epcList", "parentID", "inputEPCList", "childEPCs"];

    // Fields that the pre-hash never covers, or covers through their own rule.
    private static readonly HashSet<string> Consumed = new(StringComparer.Ordinal)
    {
        "type", "eventID", "recordTime", "errorDeclaration", "certificationInfo", "@context", "comment", "rdfs:comment", "#text",
        "eventTime", "eventTimeZoneOffset", "epcList", "parentID", "inputEPCList", "childEPCs", "quantityList",
        "childQuantityList", "inputQuantityList", "outputEPCList", "outputQuantityList", "action", "transformationID",
        "bizStep", "disposition", "persistentDisposition", "readPoint", "bizLocation", "bizTransactionList", "sourceList",
        "destinationList", "sensorElementList", "ilmd",
    };

    private static readonly string[] SensorMetadataOrder =
        ["time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "bizRules"];

    private static readonly string[] SensorReportOrder =
    [
        "type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "time", "microorganism",
        "chemicalSubstance", "value", "component", "stringValue", "booleanValue", "hexBinaryValue", "uriValue", "minValue",
        "maxValue", "meanValue", "sDev", "percRank", "percValue", "uom", "coordinateReferenceSystem",
    ];

    // Prefixes the EPCIS 2.0 JSON-LD context defines; a document's @context may override all but gs1.
    private static readonly Dictionary<string, string> WellKnownNamespaces = new(StringComparer.Ordinal)
    {
        ["gs1"] = "https://ref.gs1.org/voc/", ["cbv"] = "https://ref.gs1.org/cbv/",
        ["epcis"] = "https://ref.gs1.org/epcis/", ["cbvmda"] = "urn:epcglobal:cbv:mda",
    };

    /// <summary>`ni:///sha-256;{hex}?ver=CBV2.0` of one event (its own @context, if any, names the prefixes).</summary>
    public static string Compute(JsonElement eventJson) => Compute(eventJson, null);

    /// <summary>As <see cref="Compute(JsonElement)"/>, with the namespace prefixes of the enclosing document.</summary>
    public static string Compute(JsonElement eventJson, IReadOnlyDictionary<string, string>? namespaces)
    {
        var preHash = PreHash(eventJson, namespaces);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(preHash), digest);
        return "ni:///sha-256;" + Convert.ToHexStringLower(digest) + "?ver=CBV2.0";
    }

    /// <summary>The canonical pre-hash string (useful to compare with the reference's `.prehashes` files).</summary>
    public static string PreHash(JsonElement e, IReadOnlyDictionary<string, string>? namespaces = null)
    {
        var ns = new Dictionary<string, string>(WellKnownNamespaces, StringComparer.Ordinal);
        if (namespaces is not null)
            foreach (var (k, v) in namespaces) ns[k] = v;
        if (e.TryGetProperty("@context", out var ctx))
            JsonLdContext.Collect(ctx, ns);
        ns["gs1"] = "https://ref.gs1.org/voc/";
        var h = new Builder(ns);

        var sb = new StringBuilder(512);
        sb.Append("eventType=").Append(e.TryGetProperty("type", out var t) ? Text(t) : "");
        if (e.TryGetProperty("eventTime", out var time) && Text(time) is { Length: > 0 } et)
            sb.Append("eventTime=").Append(FixTimestamp(et));
        h.Scalar(sb, e, "eventTimeZoneOffset");
        h.EpcList(sb, e, "epcList");
        h.Scalar(sb, e, "parentID");
        h.EpcList(sb, e, "inputEPCList");
        h.EpcList(sb, e, "childEPCs");
        h.Quantities(sb, e, "quantityList");
        h.Quantities(sb, e, "childQuantityList");
        h.Quantities(sb, e, "inputQuantityList");
        h.EpcList(sb, e, "outputEPCList");
        h.Quantities(sb, e, "outputQuantityList");
        h.Scalar(sb, e, "action");
        h.Scalar(sb, e, "transformationID");
        h.Vocabulary(sb, e, "bizStep", CbvVocabulary.BizStep);
        h.Vocabulary(sb, e, "disposition", CbvVocabulary.Disposition);
        h.PersistentDisposition(sb, e);
        h.IdObject(sb, e, "readPoint");
        h.IdObject(sb, e, "bizLocation");
        h.TypedList(sb, e, "bizTransactionList", "bizTransaction", CbvVocabulary.BizTransactionType);
        h.TypedList(sb, e, "sourceList", "source", CbvVocabulary.SourceDestType);
        h.TypedList(sb, e, "destinationList", "destination", CbvVocabulary.SourceDestType);
        h.Sensors(sb, e);

        // Trailing block: ILMD, then event-level user extensions, each sorted.
        if (e.TryGetProperty("ilmd", out var ilmd) && ilmd.ValueKind == JsonValueKind.Object)
            sb.Append(h.Generic("ilmd", ilmd));
        var extensions = new List<string>();
        foreach (var p in e.EnumerateObject())
        {
            if (Consumed.Contains(p.Name) || p.Name.StartsWith("@xmlns", StringComparison.Ordinal)) continue;
            h.GenericChildren(p.Name, p.Value, extensions);
        }
        if (!extensions.Any(x => x.StartsWith("bizTransaction", StringComparison.Ordinal)))
            extensions.Sort(StringComparer.Ordinal);
        foreach (var x in extensions) sb.Append(x);
        return sb.ToString();
    }

    private static string Text(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!.Trim(),
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "",
    };

    /// <summary>UTC at millisecond precision, rounding half up (CBV 2.0 rule 9); unparseable text unchanged.</summary>
    internal static string FixTimestamp(string text)
    {
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind | DateTimeStyles.AssumeUniversal, out var dto))
            return text;
        var utc = dto.UtcDateTime;
        var micros = utc.Ticks % TimeSpan.TicksPerSecond / 10;
        var millis = (micros + 500) / 1000;
        var fixedTime = new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc).AddMilliseconds(millis);
        return fixedTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>Numbers lose leading "+", leading and trailing zeros; other text is unchanged.</summary>
    internal static string FormatNumeric(string text)
    {
        if (text.Length == 0 || !(char.IsAsciiDigit(text[0]) || text[0] is '+' or '-' or '.' || char.IsWhiteSpace(text[0])))
            return text;
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return text;
        return d == decimal.Truncate(d)
            ? decimal.Truncate(d).ToString(CultureInfo.InvariantCulture)
            : d.ToString("0.############################", CultureInfo.InvariantCulture);
    }

    private static readonly (string Urn, string Web)[] LegacyVocabularies =
    [
        ("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"),
        ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"),
        ("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"),
        ("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"),
        ("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"),
    ];
}
