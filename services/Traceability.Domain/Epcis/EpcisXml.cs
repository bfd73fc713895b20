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
/// Here: reading and validating the document; EpcisXml.Elements.cs turns its elements into the JSON
/// binding's fields, EpcisXml.Schemas.cs loads the embedded XSDs.
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

    private static void Add(Dictionary<string, List<string>> errors, string path, string message)
    {
        if (!errors.TryGetValue(path, out var list)) errors[path] = list = [];
        list.Add(message);
    }

    private static Dictionary<string, string[]> Freeze(Dictionary<string, List<string>> errors) =>
        errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
}
