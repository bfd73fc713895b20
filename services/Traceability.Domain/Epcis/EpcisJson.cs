namespace Traceability.Domain.Epcis;

/// <summary>
/// The events that parsed, and every error by path. <see cref="Positions"/> gives each event's index in
/// the document's eventList (an event that failed to parse leaves a gap); null means 0, 1, 2, ….
/// </summary>
public sealed record EpcisParseResult(IReadOnlyList<EpcisEvent> Events, IReadOnlyDictionary<string, string[]> Errors,
    IReadOnlyList<int>? Positions = null)
{
    public bool IsValid => Errors.Count == 0;

    public int PositionOf(int index) => Positions?[index] ?? index;
}

/// <summary>
/// EPCIS 2.0 JSON / JSON-LD binding: parses capture documents and single events (here; the field readers
/// in EpcisJson.Fields.cs, the date-time rules in EpcisJson.Time.cs), writes query documents (EpcisJson.QueryDocument.cs).
/// </summary>
public static partial class EpcisJson
{
    public const string ContextUri = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

    /// <summary>An EPCISDocument; its @context prefixes apply to every event's extensions.</summary>
    public static EpcisParseResult ParseDocument(JsonElement root)
    {
        var errors = new ErrorBag();
        var events = new List<EpcisEvent>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("", "The body must be a JSON object (an EPCISDocument).");
            return errors.Result(events);
        }
        if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            errors.Add("type", "The document type is missing; expected \"EPCISDocument\".");
        else if (type.GetString() != "EPCISDocument")
            errors.Add("type", $"The document type is '{type.GetString()}'; expected \"EPCISDocument\".");

        var namespaces = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("@context", out var context))
            JsonLdContext.Collect(context, namespaces);

        if (!root.TryGetProperty("epcisBody", out var body) || body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("epcisBody", "The document has no epcisBody object.");
            return errors.Result(events);
        }
        if (!body.TryGetProperty("eventList", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            errors.Add("epcisBody.eventList", "The epcisBody has no eventList array.");
            return errors.Result(events);
        }
        var i = 0;
        var positions = new List<int>();
        var identifiers = new EpcIdMemo();
        foreach (var item in list.EnumerateArray())
        {
            var parsed = ParseOne(item, $"eventList[{i}].", errors, namespaces, identifiers);
            if (parsed is not null)
            {
                events.Add(parsed);
                positions.Add(i);
            }
            i++;
        }
        return errors.Result(events, positions);
    }

    /// <summary>A single event (POST /events); error keys are the field paths within it (`eventTime`, `epcList[0]`).</summary>
    public static EpcisParseResult ParseEvent(JsonElement root)
    {
        var errors = new ErrorBag();
        var parsed = ParseOne(root, "", errors, new Dictionary<string, string>(StringComparer.Ordinal), new EpcIdMemo());
        return errors.Result(parsed is null ? [] : [parsed]);
    }

    private static EpcisEvent? ParseOne(JsonElement e, string prefix, ErrorBag errors, Dictionary<string, string> documentNamespaces,
        EpcIdMemo identifiers)
    {
        var before = errors.Count;
        var read = new FieldReader(prefix, errors, identifiers);
        void Err(string field, string message) => read.Err(field, message);

        if (e.ValueKind != JsonValueKind.Object)
        {
            errors.Add(prefix.TrimEnd('.'), "An event must be a JSON object.");
            return null;
        }

        string? type = null, eventId = null, action = null, bizStep = null, disposition = null, readPoint = null,
            bizLocation = null, parentId = null, transformationId = null, timeZoneOffset = null;
        DateTimeOffset? eventTime = null, recordTime = null;
        IReadOnlyList<string> epcList = [], childEpcs = [], inputEpcs = [], outputEpcs = [];
        IReadOnlyList<QuantityElement> quantities = [], childQuantities = [], inputQuantities = [], outputQuantities = [];
        IReadOnlyList<TypedValue> bizTransactions = [], sources = [], destinations = [];
        JsonObject? ilmd = null, persistentDisposition = null, errorDeclaration = null;
        JsonArray? sensors = null;
        JsonNode? certification = null;
        var extensions = new JsonObject();
        var namespaces = documentNamespaces;

        foreach (var p in e.EnumerateObject())
        {
            var v = p.Value;
            switch (p.Name)
            {
                case "type":
                    type = read.String(v, "type");
                    if (type is not null && !EpcisEvent.EventTypes.Contains(type))
                    {
                        Err("type", $"Unknown event type '{type}'; expected one of {string.Join(", ", EpcisEvent.EventTypes)}.");
                        type = null;
                    }
                    break;
                case "eventID":
                    eventId = read.String(v, "eventID");
                    if (eventId is not null && !Uri.TryCreate(eventId, UriKind.Absolute, out _))
                        Err("eventID", $"The eventID '{eventId}' is not an absolute URI (e.g. urn:uuid:… or ni:///sha-256;…).");
                    break;
                case "eventTime":
                    if (read.String(v, "eventTime") is { } et)
                    {
                        if (TryParseTime(et, out var t, out var te)) eventTime = t;
                        else Err("eventTime", te!);
                    }
                    break;
                case "recordTime":
                    if (read.String(v, "recordTime") is { } rts)
                    {
                        if (TryParseTime(rts, out var t, out var te)) recordTime = t;
                        else Err("recordTime", te!);
                    }
                    break;
                case "eventTimeZoneOffset":
                    timeZoneOffset = read.String(v, "eventTimeZoneOffset");
                    if (timeZoneOffset is not null && !TimeZoneOffset().IsMatch(timeZoneOffset))
                        Err("eventTimeZoneOffset", $"'{timeZoneOffset}' is not a time zone offset like +07:00.");
                    break;
                case "action":
                    action = read.String(v, "action");
                    if (action is not null && action is not ("ADD" or "OBSERVE" or "DELETE"))
                        Err("action", $"The action '{action}' must be ADD, OBSERVE or DELETE.");
                    break;
                case "bizStep":
                    if (read.String(v, "bizStep") is { } bs)
                    {
                        if (Cbv.TryNormalize(CbvVocabulary.BizStep, bs, out var n, out var be)) bizStep = n;
                        else Err("bizStep", be!);
                    }
                    break;
                case "disposition":
                    if (read.String(v, "disposition") is { } ds)
                    {
                        if (Cbv.TryNormalize(CbvVocabulary.Disposition, ds, out var n, out var de)) disposition = n;
                        else Err("disposition", de!);
                    }
                    break;
                case "readPoint": readPoint = read.Location(v, "readPoint"); break;
                case "bizLocation": bizLocation = read.Location(v, "bizLocation"); break;
                case "epcList": epcList = read.Epcs(v, "epcList"); break;
                case "childEPCs": childEpcs = read.Epcs(v, "childEPCs"); break;
                case "inputEPCList": inputEpcs = read.Epcs(v, "inputEPCList"); break;
                case "outputEPCList": outputEpcs = read.Epcs(v, "outputEPCList"); break;
                case "parentID":
                    parentId = read.String(v, "parentID");
                    if (parentId is not null && !identifiers.TryParse(parentId, out _, out var pe)) Err("parentID", pe!);
                    break;
                case "quantityList": quantities = read.Quantities(v, "quantityList"); break;
                case "childQuantityList": childQuantities = read.Quantities(v, "childQuantityList"); break;
                case "inputQuantityList": inputQuantities = read.Quantities(v, "inputQuantityList"); break;
                case "outputQuantityList": outputQuantities = read.Quantities(v, "outputQuantityList"); break;
                case "transformationID":
                    transformationId = read.String(v, "transformationID");
                    if (transformationId is not null && !Uri.TryCreate(transformationId, UriKind.Absolute, out _))
                        Err("transformationID", "The transformationID must be an absolute URI.");
                    break;
                case "bizTransactionList": bizTransactions = read.Typed(v, "bizTransactionList", "bizTransaction", CbvVocabulary.BizTransactionType); break;
                case "sourceList": sources = read.Typed(v, "sourceList", "source", CbvVocabulary.SourceDestType); break;
                case "destinationList": destinations = read.Typed(v, "destinationList", "destination", CbvVocabulary.SourceDestType); break;
                case "ilmd": ilmd = read.Object(v, "ilmd"); break;
                case "persistentDisposition": persistentDisposition = read.Object(v, "persistentDisposition"); break;
                case "errorDeclaration": errorDeclaration = read.Object(v, "errorDeclaration"); break;
                case "sensorElementList":
                    if (v.ValueKind == JsonValueKind.Array) sensors = JsonArray.Create(v.Clone());
                    else Err("sensorElementList", "The sensorElementList must be an array.");
                    break;
                case "certificationInfo": certification = JsonNode.Parse(v.GetRawText()); break;
                case "@context":
                    namespaces = new Dictionary<string, string>(namespaces, StringComparer.Ordinal);
                    JsonLdContext.Collect(v, namespaces);
                    break;
                default:
                    if (p.Name.Contains(':'))
                        extensions[p.Name] = JsonNode.Parse(v.GetRawText());
                    else if (!p.Name.StartsWith('@'))
                        Err(p.Name, $"Unknown field '{p.Name}'. Extension fields need a namespace prefix declared in @context (e.g. \"ex:{p.Name}\").");
                    break;
            }
        }

        if (type is null && !e.TryGetProperty("type", out _)) Err("type", "The event type is missing.");
        if (eventTime is null && !e.TryGetProperty("eventTime", out _)) Err("eventTime", "The eventTime is missing.");
        if (type is "ObjectEvent" or "AggregationEvent" or "TransactionEvent" or "AssociationEvent" && action is null
            && !e.TryGetProperty("action", out _))
            Err("action", $"An {type} needs an action (ADD, OBSERVE or DELETE).");
        var identifiesSomething = epcList.Count + childEpcs.Count + inputEpcs.Count + outputEpcs.Count + quantities.Count
            + childQuantities.Count + inputQuantities.Count + outputQuantities.Count > 0 || parentId is not null;
        // A sensor-only ObjectEvent (EPCIS 2.0 §7.4.2: observations at a place, no object) is valid;
        // capture ties it to its producer through the readPoint or bizLocation.
        var sensorOnly = type == "ObjectEvent" && sensors is { Count: > 0 } && (readPoint is not null || bizLocation is not null);
        if (!identifiesSomething && !sensorOnly && !HasAnyObjectField(e))
            Err("epcList", "The event identifies no object: give epcList, quantityList, parentID, childEPCs, inputEPCList or outputEPCList " +
                "(an ObjectEvent with only a sensorElementList needs a readPoint or bizLocation instead).");

        if (errors.Count > before || type is null || eventTime is null)
            return null;

        var ev = new EpcisEvent
        {
            Type = type,
            EventId = eventId ?? "",
            EventTime = eventTime.Value,
            EventTimeZoneOffset = timeZoneOffset ?? FormatOffset(eventTime.Value.Offset),
            RecordTime = recordTime,
            Action = action, BizStep = bizStep, Disposition = disposition, ReadPoint = readPoint, BizLocation = bizLocation,
            EpcList = epcList, ParentId = parentId, ChildEpcs = childEpcs, QuantityList = quantities,
            ChildQuantityList = childQuantities, InputEpcList = inputEpcs, InputQuantityList = inputQuantities,
            OutputEpcList = outputEpcs, OutputQuantityList = outputQuantities, TransformationId = transformationId,
            BizTransactionList = bizTransactions, SourceList = sources, DestinationList = destinations,
            Ilmd = ilmd, SensorElementList = sensors, CertificationInfo = certification,
            PersistentDisposition = persistentDisposition, ErrorDeclaration = errorDeclaration,
            ParsedIds = identifiers,
            Extensions = extensions, Namespaces = UsedNamespaces(namespaces, extensions, ilmd, sensors, errorDeclaration, persistentDisposition, certification),
        };
        if (eventId is null)
        {
            // The hash covers eventTimeZoneOffset, so hash the event as stored (with the defaulted offset).
            ev.EventId = timeZoneOffset is null
                ? EventHash.Compute(JsonDocument.Parse(ev.ToJson()).RootElement)
                : EventHash.Compute(e, namespaces);
        }
        return ev;
    }

    // A present-but-invalid object field already has its own error; do not add "identifies no object".
    private static bool HasAnyObjectField(JsonElement e)
    {
        foreach (var name in (string[])["epcList", "childEPCs", "inputEPCList", "outputEPCList", "parentID", "quantityList",
                     "childQuantityList", "inputQuantityList", "outputQuantityList"])
            if (e.TryGetProperty(name, out var v) && !(v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 0))
                return true;
        return false;
    }

    // Keep only the prefixes that the event's own JSON uses, so its stored JSON-LD stays small.
    // Extension fields may sit inside ilmd, sensorElementList (sensorMetadata, sensorReport), errorDeclaration,
    // persistentDisposition and certificationInfo as well as at the top level: look at all of them.
    private static Dictionary<string, string> UsedNamespaces(Dictionary<string, string> all, JsonObject extensions, params JsonNode?[] nested)
    {
        var used = new Dictionary<string, string>(StringComparer.Ordinal);
        if (all.Count == 0 || (extensions.Count == 0 && nested.All(n => n is null))) return used;
        var text = extensions.ToJsonString() + string.Concat(nested.Select(n => n?.ToJsonString() ?? ""));
        foreach (var (prefix, uri) in all)
            if (text.Contains("\"" + prefix + ":", StringComparison.Ordinal))
                used[prefix] = uri;
        return used;
    }

    private sealed class ErrorBag
    {
        private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
        public int Count { get; private set; }

        public void Add(string path, string message)
        {
            if (!_errors.TryGetValue(path, out var list)) _errors[path] = list = [];
            list.Add(message);
            Count++;
        }

        public EpcisParseResult Result(IReadOnlyList<EpcisEvent> events, IReadOnlyList<int>? positions = null) =>
            new(events, _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal), positions);
    }
}
