namespace Traceability.Domain.Epcis;

public sealed partial class EventPredicate
{
    private static IEnumerable<QuantityElement> Quantities(EpcisEvent e) =>
        e.QuantityList.Concat(e.ChildQuantityList).Concat(e.InputQuantityList).Concat(e.OutputQuantityList);

    private static IEnumerable<JsonObject> SensorElements(EpcisEvent e) => e.SensorElementList?.OfType<JsonObject>() ?? [];

    private static IEnumerable<JsonObject> SensorReports(EpcisEvent e) =>
        SensorElements(e).SelectMany(s => s["sensorReport"] is JsonArray reports ? reports.OfType<JsonObject>() : []);

    private static IEnumerable<JsonObject> SensorObjects(EpcisEvent e, bool metadata, bool report)
    {
        foreach (var s in SensorElements(e))
        {
            if (metadata && s["sensorMetadata"] is JsonObject m) yield return m;
            if (report && s["sensorReport"] is JsonArray reports)
                foreach (var r in reports.OfType<JsonObject>()) yield return r;
        }
    }

    /// <summary>CBV measurement types are bare words (Temperature); gs1: and https://gs1.org/voc/ forms name the same type.</summary>
    private static string MeasurementType(string type) =>
        type.StartsWith("gs1:", StringComparison.Ordinal) ? type[4..]
        : type.StartsWith("https://gs1.org/voc/", StringComparison.Ordinal) ? type["https://gs1.org/voc/".Length..]
        : type;

    /// <summary>A scalar's text: strings as they are, numbers as written, booleans as true/false; the XML binding's #text of an element with attributes.</summary>
    private static string? Text(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        JsonObject o when o["#text"] is JsonValue t => Text(t),
        JsonObject o when o["@value"] is JsonValue t => Text(t),
        _ => null,
    };

    private static decimal? Number(JsonNode? node) =>
        Text(node) is { } s && decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static DateTimeOffset? Time(JsonNode? node) =>
        Text(node) is { } s && EpcisJson.TryParseTime(s, out var t, out _) ? t : null;

    private static IEnumerable<string> Scalars(JsonNode? node)
    {
        if (node is JsonArray items)
        {
            foreach (var item in items)
                foreach (var s in Scalars(item)) yield return s;
        }
        else if (Text(node) is { } text) yield return text;
    }

    /// <summary>
    /// The values of the extension fields named <paramref name="name"/>: members of the holders themselves, or (inner)
    /// members at any depth inside the holders' extension fields.
    /// </summary>
    private static IEnumerable<JsonNode> Fields(EpcisEvent e, IEnumerable<JsonObject> holders, FieldName name, bool inner)
    {
        foreach (var holder in holders)
            foreach (var (property, value) in holder)
            {
                if (value is null || !property.Contains(':')) continue; // standard fields are not extension fields
                if (!inner)
                {
                    if (name.Is(property, e.Namespaces)) yield return value;
                }
                else
                    foreach (var found in Nested(value, name, e.Namespaces)) yield return found;
            }
    }

    private static IEnumerable<JsonNode> Nested(JsonNode node, FieldName name, IReadOnlyDictionary<string, string> namespaces)
    {
        switch (node)
        {
            case JsonArray items:
                foreach (var item in items)
                    if (item is not null)
                        foreach (var found in Nested(item, name, namespaces)) yield return found;
                break;
            case JsonObject o:
                foreach (var (property, value) in o)
                {
                    if (value is null) continue;
                    if (name.Is(property, namespaces)) yield return value;
                    foreach (var found in Nested(value, name, namespaces)) yield return found;
                }
                break;
        }
    }

    /// <summary>
    /// An extension field's name in a query: <c>{namespace}#{name}</c> (the standard's form; <c>#</c> is <c>%23</c> in a URL)
    /// or a CURIE <c>prefix:name</c> (the JSON binding's). A CURIE's prefix is resolved with the query's own @context
    /// when it has one; otherwise it names the prefix the event itself declares.
    /// </summary>
    private readonly record struct FieldName(string? Namespace, string? Prefix, string Local)
    {
        public static bool TryParse(string text, IReadOnlyDictionary<string, string> prefixes, out FieldName name)
        {
            name = default;
            var hash = text.LastIndexOf('#');
            if (hash > 0 && hash < text.Length - 1 && Uri.TryCreate(text[..hash], UriKind.Absolute, out _))
            {
                name = new FieldName(text[..hash], null, text[(hash + 1)..]);
                return true;
            }
            var colon = text.IndexOf(':');
            if (colon <= 0 || colon == text.Length - 1 || text.Contains('/')) return false;
            var prefix = text[..colon];
            name = new FieldName(prefixes.TryGetValue(prefix, out var uri) ? uri : null, prefix, text[(colon + 1)..]);
            return true;
        }

        /// <summary>Whether an event's member name (<c>prefix:local</c>, or a full IRI) is this field.</summary>
        public bool Is(string property, IReadOnlyDictionary<string, string> namespaces)
        {
            var colon = property.IndexOf(':');
            if (colon <= 0) return false;
            var (prefix, local) = (property[..colon], property[(colon + 1)..]);
            if (namespaces.TryGetValue(prefix, out var uri))
                return local == Local && (Namespace is { } ns ? SameNamespace(uri, ns) : prefix == Prefix);
            // Not a declared prefix: a full IRI as the member name.
            return Namespace is { } full
                ? property == full + Local || property == full.TrimEnd('#', '/') + "#" + Local || property == full.TrimEnd('#', '/') + "/" + Local
                : prefix == Prefix && local == Local;
        }

        // The JSON binding's prefix IRIs end in '/' or '#' where the XML binding's namespace may not: the same namespace.
        private static bool SameNamespace(string a, string b) =>
            string.Equals(a, b, StringComparison.Ordinal) || string.Equals(a.TrimEnd('/', '#'), b.TrimEnd('/', '#'), StringComparison.Ordinal);
    }
}
