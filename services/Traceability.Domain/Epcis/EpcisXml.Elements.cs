using System.Xml.Linq;

namespace Traceability.Domain.Epcis;

public static partial class EpcisXml
{
    /// <summary>One event element as the JSON binding writes it.</summary>
    private static JsonObject Event(XElement e, Namespaces ns, Dictionary<string, List<string>> errors, string path)
    {
        var json = new JsonObject { ["type"] = e.Name.LocalName };
        if (e.Name.Namespace != XNamespace.None)
            Add(errors, path, $"The event element {e.Name} is in a namespace; EPCIS events are unqualified elements (<ObjectEvent>).");
        Fields(e, json, ns);
        return json;
    }

    /// <summary>The children of an event (or of its extension wrappers, flattened) as JSON fields.</summary>
    private static void Fields(XElement parent, JsonObject json, Namespaces ns)
    {
        foreach (var c in parent.Elements())
        {
            var name = c.Name.LocalName;
            if (c.Name.Namespace != XNamespace.None)
            {
                AddField(json, ns.Name(c), Generic(c, ns));
                continue;
            }
            switch (name)
            {
                case "extension" or "baseExtension":
                    Fields(c, json, ns);
                    break;
                case var _ when ListFields.Contains(name):
                    json[name] = new JsonArray([.. c.Elements("epc").Select(x => (JsonNode?)JsonValue.Create(Text(x)))]);
                    break;
                case var _ when QuantityFields.Contains(name):
                    json[name] = new JsonArray([.. c.Elements("quantityElement").Select(q => (JsonNode?)Quantity(q))]);
                    break;
                case "readPoint" or "bizLocation":
                {
                    var o = new JsonObject();
                    foreach (var x in c.Elements())
                    {
                        if (x.Name == "id") o["id"] = Text(x);
                        else if (x.Name.LocalName == "extension" && x.Name.Namespace == XNamespace.None)
                            foreach (var y in x.Elements()) AddField(o, ns.Name(y), Generic(y, ns));
                        else AddField(o, ns.Name(x), Generic(x, ns));
                    }
                    json[name] = o;
                    break;
                }
                case "bizTransactionList":
                    json[name] = Typed(c, "bizTransaction");
                    break;
                case "sourceList":
                    json[name] = Typed(c, "source");
                    break;
                case "destinationList":
                    json[name] = Typed(c, "destination");
                    break;
                case "persistentDisposition":
                {
                    var o = new JsonObject();
                    foreach (var part in (string[])["set", "unset"])
                        if (c.Elements(part).Any())
                            o[part] = new JsonArray([.. c.Elements(part).Select(x => (JsonNode?)JsonValue.Create(Text(x)))]);
                    json[name] = o;
                    break;
                }
                case "errorDeclaration":
                {
                    var o = new JsonObject();
                    foreach (var x in FlattenExtension(c))
                    {
                        if (x.Name.Namespace != XNamespace.None) AddField(o, ns.Name(x), Generic(x, ns));
                        else if (x.Name.LocalName == "correctiveEventIDs")
                            o["correctiveEventIDs"] = new JsonArray([.. x.Elements("correctiveEventID").Select(y => (JsonNode?)JsonValue.Create(Text(y)))]);
                        else o[x.Name.LocalName] = Text(x);
                    }
                    json[name] = o;
                    break;
                }
                case "ilmd":
                {
                    var o = new JsonObject();
                    foreach (var x in FlattenExtension(c)) AddField(o, ns.Name(x), Generic(x, ns));
                    json[name] = o;
                    break;
                }
                case "sensorElementList":
                    json[name] = new JsonArray([.. c.Elements("sensorElement").Select(x => (JsonNode?)SensorElement(x, ns))]);
                    break;
                case "certificationInfo":
                    AddField(json, name, JsonValue.Create(Text(c)));
                    break;
                default:
                    // eventTime, eventID, action, bizStep, … and anything unknown, which the JSON binding then names.
                    json[name] = c.HasElements ? Generic(c, ns) : JsonValue.Create(Text(c));
                    break;
            }
        }
    }

    private static IEnumerable<XElement> FlattenExtension(XElement parent) =>
        parent.Elements().SelectMany(x => x.Name.LocalName == "extension" && x.Name.Namespace == XNamespace.None ? x.Elements() : [x]);

    private static string Text(XElement e) => e.Value.Trim();

    private static JsonObject Quantity(XElement q)
    {
        var o = new JsonObject();
        foreach (var x in q.Elements())
        {
            if (x.Attribute(XName.Get("nil", XsiNamespace))?.Value is "true" or "1") continue; // <quantity xsi:nil="true"/>: no quantity
            var text = Text(x);
            o[x.Name.LocalName] = x.Name.LocalName == "quantity"
                && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                ? JsonValue.Create(d)
                : JsonValue.Create(text);
        }
        return o;
    }

    private static JsonArray Typed(XElement list, string valueName) =>
        new([.. list.Elements(valueName).Select(x =>
        {
            var o = new JsonObject();
            if (x.Attribute("type")?.Value is { } t) o["type"] = t.Trim();
            o[valueName] = Text(x);
            return (JsonNode?)o;
        })]);

    private static JsonObject SensorElement(XElement element, Namespaces ns)
    {
        var o = new JsonObject();
        var reports = new JsonArray();
        foreach (var x in FlattenExtension(element))
        {
            if (x.Name == "sensorMetadata") o["sensorMetadata"] = Attributes(x, ns);
            else if (x.Name == "sensorReport") reports.Add(Attributes(x, ns));
            else AddField(o, ns.Name(x), Generic(x, ns));
        }
        if (reports.Count > 0) o["sensorReport"] = reports;
        return o;

        static JsonObject Attributes(XElement x, Namespaces ns)
        {
            var o = new JsonObject();
            foreach (var a in x.Attributes())
            {
                if (a.IsNamespaceDeclaration || a.Name.Namespace == XsiNamespace) continue;
                var name = a.Name.Namespace == XNamespace.None ? a.Name.LocalName : ns.Name(a.Name, x);
                var value = a.Value.Trim();
                if (NumericSensorFields.Contains(name) && decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                    o[name] = JsonValue.Create(d);
                else if (name == "booleanValue" && bool.TryParse(value, out var b))
                    o[name] = JsonValue.Create(b);
                else
                    o[name] = value;
            }
            return o;
        }
    }

    /// <summary>
    /// An extension element: its text, or an object of its children (repeated names become arrays) and its attributes,
    /// with <c>#text</c> for text beside attributes. xsi:type is dropped: the JSON binding's values are text.
    /// </summary>
    private static JsonNode? Generic(XElement e, Namespaces ns)
    {
        var attributes = e.Attributes().Where(a => !a.IsNamespaceDeclaration && a.Name.Namespace != XsiNamespace).ToList();
        if (!e.HasElements && attributes.Count == 0) return JsonValue.Create(Text(e));
        var o = new JsonObject();
        foreach (var a in attributes)
            o[a.Name.Namespace == XNamespace.None ? a.Name.LocalName : ns.Name(a.Name, e)] = a.Value;
        foreach (var c in e.Elements()) AddField(o, ns.Name(c), Generic(c, ns));
        if (!e.HasElements && Text(e) is { Length: > 0 } text) o["#text"] = text;
        return o;
    }

    /// <summary>A repeated name becomes an array, as the JSON binding writes repeated XML elements.</summary>
    private static void AddField(JsonObject o, string name, JsonNode? value)
    {
        if (!o.TryGetPropertyValue(name, out var existing)) o[name] = value;
        else if (existing is JsonArray array) array.Add(value);
        else
        {
            o.Remove(name);
            o[name] = new JsonArray(existing, value);
        }
    }

    /// <summary>The namespace prefixes the extension names use, as the JSON-LD @context will declare them.</summary>
    private sealed class Namespaces
    {
        private readonly Dictionary<string, string> _prefixOf = new(StringComparer.Ordinal); // uri → prefix
        private readonly Dictionary<string, string> _uriOf = new(StringComparer.Ordinal); // prefix → uri

        public int Count => _uriOf.Count;

        public string Name(XElement e) => e.Name.Namespace == XNamespace.None ? e.Name.LocalName : Name(e.Name, e);

        public string Name(XName name, XElement scope)
        {
            var uri = name.NamespaceName;
            if (uri.Length == 0) return name.LocalName;
            if (!_prefixOf.TryGetValue(uri, out var prefix))
            {
                prefix = scope.GetPrefixOfNamespace(name.Namespace) is { Length: > 0 } p ? p : "ns";
                var candidate = prefix;
                for (var i = 2; _uriOf.ContainsKey(candidate) || candidate is "gs1" or "cbv" or "epcis" or "xsd" or "rdfs" or "owl"
                         && Known(candidate) != uri; i++)
                    candidate = prefix + i.ToString(CultureInfo.InvariantCulture);
                prefix = candidate;
                _prefixOf[uri] = prefix;
                _uriOf[prefix] = uri;
            }
            return prefix + ":" + name.LocalName;
        }

        private static string? Known(string prefix) => prefix switch
        {
            "gs1" => "https://gs1.org/voc/", "cbv" => "https://ref.gs1.org/cbv/", "epcis" => "https://ref.gs1.org/epcis/",
            _ => null,
        };

        public JsonObject ToContext()
        {
            var o = new JsonObject();
            foreach (var (prefix, uri) in _uriOf) o[prefix] = uri;
            return o;
        }
    }
}
