namespace Traceability.Domain.Epcis;

/// <summary>
/// The EPCIS 2.0 query parameters (§8.2.7.1; the REST binding's query schema) that test fields of the event
/// itself rather than the stores' indexed columns: EXISTS_ of standard and extension fields, extension-field
/// comparisons (EQ_/GT_/GE_/LT_/LE_ with ILMD_, INNER_, ERROR_DECLARATION_, SENSORELEMENT_, SENSORMETADATA_,
/// SENSORREPORT_), EQ_transformationID, WD_readPoint/WD_bizLocation, EQ_persistentDisposition_set/unset,
/// EQ_bizTransaction_/EQ_source_/EQ_destination_{type}, quantity filters and sensor filters.
/// It is the one definition of what they mean: every store provider applies its indexed filters first and then
/// this predicate to the parsed event, so the providers cannot disagree. Parameters AND together; the values of one
/// parameter OR together, as for the indexed ones.
/// </summary>
public sealed partial class EventPredicate
{
    private readonly List<Func<EpcisEvent, bool>> _tests = [];

    public bool IsEmpty => _tests.Count == 0;

    public bool Matches(EpcisEvent e)
    {
        foreach (var test in _tests)
            if (!test(e)) return false;
        return true;
    }

    /// <summary>
    /// A stored event (its canonical JSON). JSON that no longer parses as an event (none should: it was parsed
    /// when captured) matches nothing rather than failing the whole query.
    /// </summary>
    public bool Matches(string eventJson)
    {
        using var document = JsonDocument.Parse(eventJson);
        var parsed = EpcisJson.ParseEvent(document.RootElement);
        return parsed.Events.Count == 1 && Matches(parsed.Events[0]);
    }

    /// <summary>
    /// EXISTS_ takes no value, or <c>true</c>; <c>false</c> asks for no filter (the REST binding's boolean).
    /// </summary>
    public static bool TryReadFlag(IReadOnlyList<string> values, out bool on, out string? error)
    {
        on = values.Count == 0 || values is ["true"] || values is ["1"];
        error = on || values is ["false"] || values is ["0"] ? null : "EXISTS_ parameters take no value, true or false.";
        return error is null;
    }

    /// <summary>
    /// Adds <paramref name="name"/> with its values (already split at '|'). False when it is none of this class's
    /// parameters (the caller reports it); true otherwise, with <paramref name="error"/> set when its value is
    /// wrong or it is a parameter of the standard this repository refuses (it says why).
    /// </summary>
    /// <param name="prefixes">Namespace prefixes the query declares (a named query's @context) for CURIE field names.</param>
    public bool TryAdd(string name, IReadOnlyList<string> values, IReadOnlyDictionary<string, string>? prefixes, out string? error)
    {
        error = null;
        var test = Parse(name, values, prefixes ?? Empty, ref error, out var known);
        if (!known) return false;
        if (error is null && test is not null) _tests.Add(test);
        return true;
    }

    private static readonly Dictionary<string, string> Empty = new(StringComparer.Ordinal);

    // EXISTS_{standard field}: the field is present and not empty.
    private static readonly Dictionary<string, Func<EpcisEvent, bool>> StandardFields = new(StringComparer.Ordinal)
    {
        ["eventID"] = _ => true,
        ["eventTime"] = _ => true,
        ["eventTimeZoneOffset"] = _ => true,
        ["recordTime"] = e => e.RecordTime is not null,
        ["action"] = e => e.Action is not null,
        ["bizStep"] = e => e.BizStep is not null,
        ["disposition"] = e => e.Disposition is not null,
        ["readPoint"] = e => e.ReadPoint is not null,
        ["bizLocation"] = e => e.BizLocation is not null,
        ["epcList"] = e => e.EpcList.Count > 0,
        ["parentID"] = e => e.ParentId is not null,
        ["childEPCs"] = e => e.ChildEpcs.Count > 0,
        ["inputEPCList"] = e => e.InputEpcList.Count > 0,
        ["outputEPCList"] = e => e.OutputEpcList.Count > 0,
        ["quantityList"] = e => e.QuantityList.Count > 0,
        ["childQuantityList"] = e => e.ChildQuantityList.Count > 0,
        ["inputQuantityList"] = e => e.InputQuantityList.Count > 0,
        ["outputQuantityList"] = e => e.OutputQuantityList.Count > 0,
        ["transformationID"] = e => e.TransformationId is not null,
        ["bizTransactionList"] = e => e.BizTransactionList.Count > 0,
        ["sourceList"] = e => e.SourceList.Count > 0,
        ["destinationList"] = e => e.DestinationList.Count > 0,
        ["ilmd"] = e => e.Ilmd is { Count: > 0 },
        ["sensorElementList"] = e => e.SensorElementList is { Count: > 0 },
        ["persistentDisposition"] = e => e.PersistentDisposition is { Count: > 0 },
        ["certificationInfo"] = e => e.CertificationInfo is not null and not JsonArray { Count: 0 },
        ["errorDeclaration"] = e => e.ErrorDeclaration is not null,
    };

    // Sensor report and metadata attributes compared as URIs or strings (EQ_…, values OR-ed).
    private static readonly Dictionary<string, (bool Metadata, bool Report)> SensorAttributes = new(StringComparer.Ordinal)
    {
        ["deviceID"] = (true, true),
        ["dataProcessingMethod"] = (true, true),
        ["bizRules"] = (true, false),
        ["microorganism"] = (false, true),
        ["chemicalSubstance"] = (false, true),
        ["stringValue"] = (false, true),
        ["hexBinaryValue"] = (false, true),
        ["uriValue"] = (false, true),
    };

    // Numeric sensor report attributes, each compared in the report's own uom (…_{uom}) or in any.
    private static readonly HashSet<string> SensorNumbers = new(StringComparer.Ordinal)
        { "value", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue" };

    // Sensor times: time is in sensorMetadata and sensorReport; startTime and endTime in sensorMetadata.
    private static readonly Dictionary<string, (bool Metadata, bool Report)> SensorTimes = new(StringComparer.Ordinal)
    {
        ["time"] = (true, true),
        ["startTime"] = (true, false),
        ["endTime"] = (true, false),
    };

    private enum Op { Eq, Gt, Ge, Lt, Le, Exists }

    private static Func<EpcisEvent, bool>? Parse(string name, IReadOnlyList<string> values, IReadOnlyDictionary<string, string> prefixes,
        ref string? error, out bool known)
    {
        known = true;
        switch (name)
        {
            case "EQ_transformationID":
                return e => e.TransformationId is { } id && values.Contains(id, StringComparer.Ordinal);
            case "WD_readPoint" or "WD_bizLocation":
            {
                // "With descendants" as master data defines them: this repository keeps no location hierarchy,
                // so a location has no descendants and WD_ selects what EQ_ does.
                var keys = values.Select(EpcIdentifier.ToLocationKey).ToHashSet(StringComparer.Ordinal);
                return name == "WD_readPoint"
                    ? e => e.ReadPointKey is { } rp && keys.Contains(rp)
                    : e => e.BizLocationKey is { } bl && keys.Contains(bl);
            }
            case "EQ_persistentDisposition_set" or "EQ_persistentDisposition_unset":
            {
                var wanted = new HashSet<string>(StringComparer.Ordinal);
                foreach (var v in values)
                    if (Cbv.TryNormalizeDisposition(v, out var n)) wanted.Add(n);
                    else error = $"'{v}' is not a CBV disposition or URI.";
                var part = name.EndsWith("_set", StringComparison.Ordinal) ? "set" : "unset";
                return e => e.PersistentDisposition?[part] is JsonArray list && list.Any(d =>
                    d is JsonValue v && v.TryGetValue<string>(out var s) && Cbv.TryNormalizeDisposition(s, out var n) && wanted.Contains(n));
            }
            case "EQ_booleanValue":
                if (values is not [("true" or "false") and var b])
                {
                    error = "EQ_booleanValue takes true or false.";
                    return null;
                }
                // Text: JSON's true/false and the XML binding's attribute text alike.
                return e => SensorReports(e).Any(r => Text(r["booleanValue"]) == b);
            case "EQ_type":
            {
                var types = values.Select(MeasurementType).ToHashSet(StringComparer.Ordinal);
                return e => SensorReports(e).Any(r => Text(r["type"]) is { } t && types.Contains(MeasurementType(t)));
            }
            case "maxEventCount":
                error = "maxEventCount is not supported: page with perPage and nextPageToken, or limit with eventCountLimit.";
                return null;
        }

        if (name.StartsWith("HASATTR_", StringComparison.Ordinal) || name.StartsWith("EQATTR_", StringComparison.Ordinal)
            || name.StartsWith("EQ_ATTR_", StringComparison.Ordinal))
        {
            error = $"{name} asks about master data attributes, which this repository does not keep (EPCIS master data is not supported).";
            return null;
        }
        var underscore = name.IndexOf('_');
        if (underscore < 0 || OpOf(name[..underscore]) is not { } op)
        {
            known = false;
            return null;
        }
        var rest = name[(underscore + 1)..];

        var existsOn = false;
        if (op == Op.Exists)
        {
            if (!TryReadFlag(values, out existsOn, out error)) return null;
            if (StandardFields.TryGetValue(rest, out var exists)) return existsOn ? exists : null;
        }
        else if (op == Op.Eq && rest.StartsWith("bizTransaction_", StringComparison.Ordinal))
            return Typed(rest["bizTransaction_".Length..], CbvVocabulary.BizTransactionType, values, e => e.BizTransactionList, ref error);
        else if (op == Op.Eq && rest.StartsWith("source_", StringComparison.Ordinal))
            return Typed(rest["source_".Length..], CbvVocabulary.SourceDestType, values, e => e.SourceList, ref error);
        else if (op == Op.Eq && rest.StartsWith("destination_", StringComparison.Ordinal))
            return Typed(rest["destination_".Length..], CbvVocabulary.SourceDestType, values, e => e.DestinationList, ref error);
        else if (SplitUom(rest) is var (field, uom) && (field == "quantity" || SensorNumbers.Contains(field)))
        {
            if (!TryBounds(op, values, numeric: true, out var bounds, out error)) return null;
            return field == "quantity"
                ? e => Quantities(e).Any(q => q.Quantity is { } n && (uom is null || q.Uom == uom) && bounds.Any(b => Compare(op, n, b.Number)))
                : e => SensorReports(e).Any(r => (uom is null || Text(r["uom"]) == uom) && Number(r[field]) is { } n
                    && bounds.Any(b => Compare(op, n, b.Number)));
        }
        else if (op is Op.Ge or Op.Lt && SensorTimes.TryGetValue(rest, out var where))
        {
            if (!TryBounds(op, values, numeric: false, out var bounds, out error)) return null;
            return e => SensorObjects(e, where.Metadata, where.Report).Any(o => Time(o[rest]) is { } t && Compare(op, t, bounds[0].Time));
        }
        else if (op == Op.Eq && SensorAttributes.TryGetValue(rest, out var at))
        {
            // Hex binary is case-insensitive; URIs and strings compare exactly.
            var comparer = rest == "hexBinaryValue" ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
            var wanted = values.ToHashSet(comparer);
            return e => SensorObjects(e, at.Metadata, at.Report).Any(o => Text(o[rest]) is { } s && wanted.Contains(s));
        }

        // Extension fields: [INNER_][ILMD_|ERROR_DECLARATION_|SENSORELEMENT_|SENSORMETADATA_|SENSORREPORT_]{prefix:name | namespace#name}.
        var inner = rest.StartsWith("INNER_", StringComparison.Ordinal);
        if (inner) rest = rest["INNER_".Length..];
        if (rest.StartsWith("readPoint_", StringComparison.Ordinal) || rest.StartsWith("bizLocation_", StringComparison.Ordinal))
        {
            error = $"{name}: extension fields inside readPoint and bizLocation are not kept by this repository (only their id), so they cannot be queried.";
            return null;
        }
        var scope = Scopes.FirstOrDefault(s => rest.StartsWith(s.Prefix, StringComparison.Ordinal));
        if (scope.Prefix is not null) rest = rest[scope.Prefix.Length..];
        if (!FieldName.TryParse(rest, prefixes, out var fieldName))
        {
            known = false;
            return null;
        }
        Func<EpcisEvent, IEnumerable<JsonObject>> holders = scope.Holders ?? (e => [e.Extensions]);
        if (op == Op.Exists)
            return existsOn ? e => Fields(e, holders(e), fieldName, inner).Any() : null;
        if (!TryBounds(op, values, numeric: null, out var limits, out error)) return null;
        return e => Fields(e, holders(e), fieldName, inner).SelectMany(Scalars).Any(s => limits.Any(b => Matches(op, s, b)));
    }

    private static readonly (string Prefix, Func<EpcisEvent, IEnumerable<JsonObject>> Holders)[] Scopes =
    [
        ("ILMD_", e => e.Ilmd is { } ilmd ? [ilmd] : []),
        ("ERROR_DECLARATION_", e => e.ErrorDeclaration is { } d ? [d] : []),
        ("SENSORELEMENT_", e => SensorElements(e)),
        ("SENSORMETADATA_", e => SensorObjects(e, metadata: true, report: false)),
        ("SENSORREPORT_", e => SensorReports(e)),
    ];

    private static Op? OpOf(string op) => op switch
    {
        "EQ" => Op.Eq,
        "GT" => Op.Gt,
        "GE" => Op.Ge,
        "LT" => Op.Lt,
        "LE" => Op.Le,
        "EXISTS" => Op.Exists,
        _ => null,
    };

    /// <summary>"value_CEL" → ("value", "CEL"); "quantity" → ("quantity", null). A uom is 2–4 capitals or digits (UN/CEFACT Rec. 20).</summary>
    private static (string Field, string? Uom) SplitUom(string rest)
    {
        var i = rest.LastIndexOf('_');
        return i > 0 && rest.Length - i - 1 is >= 2 and <= 4 && rest[(i + 1)..].All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c))
            ? (rest[..i], rest[(i + 1)..])
            : (rest, null);
    }

    private static Func<EpcisEvent, bool>? Typed(string type, CbvVocabulary vocabulary, IReadOnlyList<string> values,
        Func<EpcisEvent, IReadOnlyList<TypedValue>> list, ref string? error)
    {
        if (!Cbv.TryNormalize(vocabulary, type, out var normalized, out var typeError))
        {
            error = typeError;
            return null;
        }
        var ids = values.Select(EpcIdentifier.ToLocationKey).ToHashSet(StringComparer.Ordinal);
        return e => list(e).Any(t => t.Type == normalized && ids.Contains(EpcIdentifier.ToLocationKey(t.Value)));
    }
}
