using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Traceability.Domain.Epcis;

/// <summary>
/// An XML capture read into the JSON-LD form of the JSON binding (<see cref="Json"/>: an EPCISDocument, or one event),
/// or the errors that stopped it (XML syntax, a DTD, an unknown root, the XSD), each by element path with line:position.
/// </summary>
public sealed record EpcisXmlRead(JsonObject? Json, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Json is not null && Errors.Count == 0;
}

/// <summary>
/// EPCIS XML binding. Capture: an EPCIS 2.0 <c>EPCISDocument</c> (urn:epcglobal:epcis:xsd:2, validated against GS1's XSDs)
/// or an EPCIS 1.2 one (urn:epcglobal:epcis:xsd:1, its <c>extension</c>/<c>baseExtension</c> wrappers flattened) is turned
/// into the JSON-LD document the JSON binding reads, so <see cref="EpcisJson"/> builds the same <see cref="EpcisEvent"/>s
/// and the same event hash from either. Query: an EPCIS 2.0 <c>EPCISQueryDocument</c> written from stored events.
/// Reading is safe against hostile input: no DTD (so no entity expansion), no resolver, a character limit, a depth limit.
/// </summary>
public static partial class EpcisXml
{
    public const string Epcis2Namespace = "urn:epcglobal:epcis:xsd:2";
    public const string Epcis12Namespace = "urn:epcglobal:epcis:xsd:1";
    public const string QueryNamespace = "urn:epcglobal:epcis-query:xsd:2";
    private const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";
    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    /// <summary>Deepest element nesting read (extension elements are converted recursively).</summary>
    public const int MaxDepth = 64;

    private static readonly Lazy<XmlSchemaSet> LazySchemas = new(LoadSchemas, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>GS1's EPCIS 2.0 XSDs (capture and query documents), compiled once from the embedded copies.</summary>
    public static XmlSchemaSet Schemas => LazySchemas.Value;

    private static readonly HashSet<string> ListFields = new(StringComparer.Ordinal) { "epcList", "childEPCs", "inputEPCList", "outputEPCList" };
    private static readonly HashSet<string> QuantityFields = new(StringComparer.Ordinal)
        { "quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList" };
    private static readonly HashSet<string> NumericSensorFields = new(StringComparer.Ordinal)
        { "value", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue" };

    // ───────────────────────────── capture ─────────────────────────────

    /// <summary>
    /// Reads an XML capture body. <paramref name="singleEvent"/>: POST /epcis/events, where the body is one event element
    /// (<c>&lt;ObjectEvent&gt;</c> …) or an EPCISDocument holding exactly one event; the result is then that event's JSON.
    /// </summary>
    public static EpcisXmlRead Read(ReadOnlyMemory<byte> body, long maxCharacters, bool singleEvent = false)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        XElement? root;
        try
        {
            var (rootName, rootNs) = PeekRoot(body, maxCharacters);
            var validate = rootNs == Epcis2Namespace && rootName == "EPCISDocument";
            if (!(rootName == "EPCISDocument" && rootNs is Epcis2Namespace or Epcis12Namespace)
                && !(singleEvent && rootNs.Length == 0 && EpcisEvent.EventTypes.Contains(rootName)))
            {
                return Fail("", $"The root element is {{{rootNs}}}{rootName}; expected an EPCISDocument in the namespace {Epcis2Namespace} " +
                                $"(EPCIS 2.0) or {Epcis12Namespace} (EPCIS 1.2){(singleEvent ? ", or one event element such as <ObjectEvent>" : "")}.");
            }
            root = Load(body, maxCharacters, validate, errors);
        }
        catch (XmlException e)
        {
            return Fail(e.LineNumber > 0 ? $"line {e.LineNumber}:{e.LinePosition}" : "",
                $"The body is not well-formed XML or uses a construct that is refused (DTDs and entities are): {e.Message}");
        }
        if (errors.Count > 0 || root is null) return new EpcisXmlRead(null, Freeze(errors));

        var namespaces = new Namespaces();
        JsonObject? result;
        if (root.Name.Namespace == XNamespace.None)
        {
            result = Event(root, namespaces, errors, "");
        }
        else
        {
            var events = new JsonArray();
            var body2 = root.Element("EPCISBody");
            var list = body2?.Element("EventList");
            if (body2 is null) Add(errors, "epcisBody", "The EPCISDocument has no EPCISBody element.");
            else if (list is null) Add(errors, "epcisBody.eventList", "The EPCISBody has no EventList element.");
            else
            {
                var i = 0;
                foreach (var e in EventElements(list))
                    events.Add(Event(e, namespaces, errors, $"eventList[{i++}]"));
            }
            if (singleEvent)
            {
                if (errors.Count == 0 && events.Count != 1)
                    Add(errors, "", $"POST /epcis/events takes one event; the document holds {events.Count}. Use POST /epcis/capture for several.");
                result = errors.Count == 0 ? (JsonObject)events[0]!.DeepClone() : null;
            }
            else
            {
                result = new JsonObject
                {
                    ["@context"] = null,
                    ["type"] = "EPCISDocument",
                    ["schemaVersion"] = root.Attribute("schemaVersion")?.Value is { Length: > 0 } v ? v : "2.0",
                    ["creationDate"] = root.Attribute("creationDate")?.Value,
                    ["epcisBody"] = new JsonObject { ["eventList"] = events },
                };
            }
        }
        if (errors.Count > 0 || result is null) return new EpcisXmlRead(null, Freeze(errors));
        var context = new JsonArray(EpcisJson.ContextUri);
        if (namespaces.Count > 0) context.Add(namespaces.ToContext());
        result["@context"] = context;
        return new EpcisXmlRead(result, Freeze(errors));

        EpcisXmlRead Fail(string path, string message)
        {
            Add(errors, path, message);
            return new EpcisXmlRead(null, Freeze(errors));
        }
    }

    // <!DOCTYPE name> with neither an external identifier nor an internal subset: it declares nothing.
    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*(<\?xml[^>]*\?>)?\s*(<!--.*?-->\s*)*<!DOCTYPE\s+[A-Za-z_][\w.:-]*\s*>",
        System.Text.RegularExpressions.RegexOptions.Singleline | System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex BareDoctype();

    /// <summary>
    /// DTDs are prohibited (no entity can be declared, so none can expand), except a bare <c>&lt;!DOCTYPE name&gt;</c>,
    /// which declares nothing and which several of GS1's example documents carry: that one is skipped (DtdProcessing.Ignore,
    /// so an entity reference is still an error).
    /// </summary>
    private static DtdProcessing DtdFor(ReadOnlySpan<byte> body)
    {
        var head = body[..Math.Min(body.Length, 2048)];
        if (head.IndexOf("<!DOCTYPE"u8) < 0) return DtdProcessing.Prohibit;
        var text = Encoding.UTF8.GetString(head);
        return BareDoctype().IsMatch(text.TrimStart('\uFEFF')) ? DtdProcessing.Ignore : DtdProcessing.Prohibit;
    }

    private static XmlReaderSettings Settings(long maxCharacters, DtdProcessing dtd = DtdProcessing.Prohibit) => new()
    {
        DtdProcessing = dtd,
        XmlResolver = null,
        MaxCharactersInDocument = maxCharacters,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    private static (string Name, string Namespace) PeekRoot(ReadOnlyMemory<byte> body, long maxCharacters)
    {
        using var reader = XmlReader.Create(new ReadOnlyMemoryStream(body), Settings(maxCharacters, DtdFor(body.Span)));
        reader.MoveToContent();
        return (reader.LocalName, reader.NamespaceURI);
    }

    /// <summary>Builds the element tree without recursion, validating EPCIS 2.0 documents against the XSDs as it reads.</summary>
    private static XElement? Load(ReadOnlyMemory<byte> body, long maxCharacters, bool validate, Dictionary<string, List<string>> errors)
    {
        var settings = Settings(maxCharacters, DtdFor(body.Span));
        var path = new List<string>();
        var eventIndex = -1;
        if (validate)
        {
            settings.ValidationType = ValidationType.Schema;
            settings.Schemas = Schemas;
            settings.ValidationFlags = XmlSchemaValidationFlags.None;
            settings.ValidationEventHandler += (_, e) =>
            {
                if (e.Severity != XmlSeverityType.Error || errors.Count >= 100) return;
                Add(errors, PathOf(path, eventIndex),
                    $"{e.Message} (line {e.Exception?.LineNumber}:{e.Exception?.LinePosition}; EPCIS 2.0 XSD)");
            };
        }
        using var reader = XmlReader.Create(new ReadOnlyMemoryStream(body), settings);
        XElement? root = null;
        var stack = new Stack<XElement>();
        var eventListDepth = -1;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                {
                    if (stack.Count >= MaxDepth)
                        throw new XmlException($"Elements are nested deeper than {MaxDepth} levels.", null,
                            ((IXmlLineInfo)reader).LineNumber, ((IXmlLineInfo)reader).LinePosition);
                    var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
                    if (reader.MoveToFirstAttribute())
                    {
                        do
                        {
                            var name = reader.NamespaceURI == XmlnsNamespace
                                ? (reader.Prefix.Length == 0 ? XName.Get("xmlns") : XNamespace.Xmlns + reader.LocalName)
                                : XName.Get(reader.LocalName, reader.NamespaceURI);
                            element.SetAttributeValue(name, reader.Value);
                        } while (reader.MoveToNextAttribute());
                        reader.MoveToElement();
                    }
                    if (stack.Count > 0) stack.Peek().Add(element);
                    else root = element;
                    // Track the path for XSD messages: eventList[i].field inside an event, the element path outside.
                    if (eventListDepth >= 0 && stack.Count == eventListDepth + 1) eventIndex++;
                    if (reader.LocalName == "EventList" && reader.NamespaceURI.Length == 0) eventListDepth = stack.Count;
                    path.Add(reader.LocalName);
                    if (!reader.IsEmptyElement) stack.Push(element);
                    else path.RemoveAt(path.Count - 1);
                    break;
                }
                case XmlNodeType.EndElement:
                    stack.Pop();
                    path.RemoveAt(path.Count - 1);
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace:
                    if (stack.Count > 0) stack.Peek().Add(new XText(reader.Value));
                    break;
            }
        }
        return root;

        static string PathOf(List<string> path, int eventIndex)
        {
            var at = path.IndexOf("EventList");
            if (at >= 0 && path.Count > at + 1 && eventIndex >= 0)
                return string.Join('.', new[] { $"eventList[{eventIndex}]" }.Concat(path.Skip(at + 2)));
            return "/" + string.Join('/', path);
        }
    }

    /// <summary>The events of an EventList; EPCIS 1.2 puts a TransformationEvent (and any later type) inside &lt;extension&gt;.</summary>
    private static IEnumerable<XElement> EventElements(XElement list)
    {
        foreach (var e in list.Elements())
        {
            if (e.Name.LocalName == "extension" && e.Name.Namespace == XNamespace.None)
            {
                foreach (var inner in e.Elements()) yield return inner;
            }
            else yield return e;
        }
    }

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

    private static void Add(Dictionary<string, List<string>> errors, string path, string message)
    {
        if (!errors.TryGetValue(path, out var list)) errors[path] = list = [];
        list.Add(message);
    }

    private static Dictionary<string, string[]> Freeze(Dictionary<string, List<string>> errors) =>
        errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);

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

    // ───────────────────────────── schemas ─────────────────────────────

    private static XmlSchemaSet LoadSchemas()
    {
        var set = new XmlSchemaSet { XmlResolver = new EmbeddedXsdResolver() };
        foreach (var file in (string[])["EPCglobal-epcis-2_0.xsd", "EPCglobal-epcis-query-2_0.xsd", "EPCglobal-epcis-masterdata-2_0.xsd"])
        {
            using var stream = EmbeddedXsdResolver.Open(file);
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null },
                EmbeddedXsdResolver.BaseUri + file);
            set.Add(null, reader);
        }
        set.Compile();
        return set;
    }

    /// <summary>Resolves the XSDs' imports and includes to the embedded copies, and nothing else.</summary>
    private sealed class EmbeddedXsdResolver : XmlResolver
    {
        public const string BaseUri = "embedded:///xsd/";

        public static Stream Open(string file) =>
            typeof(EpcisXml).Assembly.GetManifestResourceStream("Traceability.Domain.Epcis.Xsd." + file)
            ?? throw new FileNotFoundException("Embedded XSD not found.", file);

        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn) =>
            Open(Path.GetFileName(absoluteUri.AbsolutePath));

        public override Uri ResolveUri(Uri? baseUri, string? relativeUri) =>
            new(BaseUri + Path.GetFileName(relativeUri ?? ""));
    }

    /// <summary>A read-only stream over a byte buffer (no copy).</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> bytes) : Stream
    {
        private int _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => bytes.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, bytes.Length - _position);
            bytes.Span.Slice(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
