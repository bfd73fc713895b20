namespace Traceability.Domain.Epcis;

/// <summary>How CBV values (bizStep, disposition, types, reasons) are written in XML answers (header GS1-CBV-XML-Format).</summary>
public enum CbvXmlFormat
{
    /// <summary>Legacy URNs such as urn:epcglobal:cbv:bizstep:shipping (the default: No_Preference, Never_Translates, Always_URN).</summary>
    Urn,
    /// <summary>Web URIs such as https://ref.gs1.org/cbv/BizStep-shipping (Always_Web_URI).</summary>
    WebUri,
}

/// <summary>Writes stored events (their canonical JSON-LD) as an EPCIS 2.0 XML EPCISQueryDocument, in the XSD's element order.</summary>
public static class EpcisXmlWriter
{
    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(false), Indent = false, OmitXmlDeclaration = false, CheckCharacters = true,
    };

    private static readonly Dictionary<string, string> WellKnown = new(StringComparer.Ordinal)
    {
        ["gs1"] = "https://gs1.org/voc/", ["cbv"] = "https://ref.gs1.org/cbv/", ["epcis"] = "https://ref.gs1.org/epcis/",
        ["cbvmda"] = "urn:epcglobal:cbv:mda", ["rdfs"] = "http://www.w3.org/2000/01/rdf-schema#",
        ["xsd"] = "http://www.w3.org/2001/XMLSchema#",
    };

    // The sequence after the common fields (eventTime … certificationInfo), per event type (EPCglobal-epcis-2_0.xsd).
    private static readonly Dictionary<string, string[]> Order = new(StringComparer.Ordinal)
    {
        ["ObjectEvent"] = ["epcList", "action", "bizStep", "disposition", "readPoint", "bizLocation", "bizTransactionList", "quantityList",
            "sourceList", "destinationList", "sensorElementList", "persistentDisposition", "ilmd"],
        ["AggregationEvent"] = ["parentID", "childEPCs", "action", "bizStep", "disposition", "readPoint", "bizLocation", "bizTransactionList",
            "childQuantityList", "sourceList", "destinationList", "sensorElementList", "persistentDisposition"],
        ["TransactionEvent"] = ["bizTransactionList", "parentID", "epcList", "action", "bizStep", "disposition", "readPoint", "bizLocation",
            "quantityList", "sourceList", "destinationList", "sensorElementList", "persistentDisposition"],
        ["TransformationEvent"] = ["inputEPCList", "inputQuantityList", "outputEPCList", "outputQuantityList", "transformationID", "bizStep",
            "disposition", "readPoint", "bizLocation", "bizTransactionList", "sourceList", "destinationList", "sensorElementList",
            "persistentDisposition", "ilmd"],
        ["AssociationEvent"] = ["parentID", "childEPCs", "childQuantityList", "action", "bizStep", "disposition", "readPoint", "bizLocation",
            "bizTransactionList", "sourceList", "destinationList", "sensorElementList", "persistentDisposition"],
    };

    private static readonly string[] Common = ["eventTime", "recordTime", "eventTimeZoneOffset", "eventID", "errorDeclaration", "certificationInfo"];

    /// <summary>An EPCISQueryDocument (urn:epcglobal:epcis-query:xsd:2) whose EventList holds the given events.</summary>
    public static string WriteQueryDocument(IEnumerable<string> eventJsons, CbvXmlFormat format = CbvXmlFormat.Urn,
        string queryName = "SimpleEventQuery", DateTimeOffset? creationDate = null)
    {
        var sb = new StringBuilder(4096);
        using (var w = XmlWriter.Create(new Utf8StringWriter(sb), Settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("epcisq", "EPCISQueryDocument", EpcisXml.QueryNamespace);
            w.WriteAttributeString("xmlns", "epcis", null, EpcisXml.Epcis2Namespace);
            w.WriteAttributeString("schemaVersion", "2.0");
            w.WriteAttributeString("creationDate", EpcisEventWriter.FormatTime((creationDate ?? DateTimeOffset.UtcNow).ToUniversalTime()));
            w.WriteStartElement("EPCISBody");
            w.WriteStartElement("epcisq", "QueryResults", EpcisXml.QueryNamespace);
            w.WriteElementString("queryName", queryName);
            w.WriteStartElement("resultsBody");
            w.WriteStartElement("EventList");
            foreach (var json in eventJsons)
            {
                using var doc = JsonDocument.Parse(json);
                WriteEvent(w, doc.RootElement, format);
            }
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return sb.ToString();
    }

    private sealed class Utf8StringWriter(StringBuilder sb) : StringWriter(sb, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => Encoding.UTF8;
    }

    private static void WriteEvent(XmlWriter w, JsonElement e, CbvXmlFormat format)
    {
        var type = e.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
        if (!Order.TryGetValue(type, out var order)) return;
        var ns = new Dictionary<string, string>(WellKnown, StringComparer.Ordinal);
        if (e.TryGetProperty("@context", out var ctx)) JsonLdContext.Collect(ctx, ns);

        w.WriteStartElement(type);
        foreach (var name in Common.Concat(order))
        {
            if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) continue;
            switch (name)
            {
                case "epcList" or "childEPCs" or "inputEPCList" or "outputEPCList":
                    w.WriteStartElement(name);
                    foreach (var x in v.EnumerateArray()) w.WriteElementString("epc", Text(x));
                    w.WriteEndElement();
                    break;
                case "quantityList" or "childQuantityList" or "inputQuantityList" or "outputQuantityList":
                    w.WriteStartElement(name);
                    foreach (var q in v.EnumerateArray())
                    {
                        w.WriteStartElement("quantityElement");
                        foreach (var f in (string[])["epcClass", "quantity", "uom"])
                            if (q.TryGetProperty(f, out var fv)) w.WriteElementString(f, Text(fv));
                        w.WriteEndElement();
                    }
                    w.WriteEndElement();
                    break;
                case "bizStep":
                    w.WriteElementString(name, Vocabulary(CbvVocabulary.BizStep, Text(v), format));
                    break;
                case "disposition":
                    w.WriteElementString(name, Vocabulary(CbvVocabulary.Disposition, Text(v), format));
                    break;
                case "readPoint" or "bizLocation":
                    w.WriteStartElement(name);
                    if (v.TryGetProperty("id", out var id)) w.WriteElementString("id", Text(id));
                    foreach (var p in v.EnumerateObject())
                        if (p.Name.Contains(':')) Generic(w, p.Name, p.Value, ns);
                    w.WriteEndElement();
                    break;
                case "bizTransactionList":
                    TypedList(w, name, "bizTransaction", v, CbvVocabulary.BizTransactionType, format);
                    break;
                case "sourceList":
                    TypedList(w, name, "source", v, CbvVocabulary.SourceDestType, format);
                    break;
                case "destinationList":
                    TypedList(w, name, "destination", v, CbvVocabulary.SourceDestType, format);
                    break;
                case "persistentDisposition":
                    w.WriteStartElement(name);
                    foreach (var part in (string[])["unset", "set"])
                        if (v.TryGetProperty(part, out var list))
                            foreach (var x in list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToArray() : [list])
                                w.WriteElementString(part, Vocabulary(CbvVocabulary.Disposition, Text(x), format));
                    w.WriteEndElement();
                    break;
                case "errorDeclaration":
                    w.WriteStartElement(name);
                    if (v.TryGetProperty("declarationTime", out var dt)) w.WriteElementString("declarationTime", Text(dt));
                    if (v.TryGetProperty("reason", out var reason))
                        w.WriteElementString("reason", Vocabulary(CbvVocabulary.ErrorReason, Text(reason), format));
                    if (v.TryGetProperty("correctiveEventIDs", out var ids))
                    {
                        w.WriteStartElement("correctiveEventIDs");
                        foreach (var x in ids.EnumerateArray()) w.WriteElementString("correctiveEventID", Text(x));
                        w.WriteEndElement();
                    }
                    foreach (var p in v.EnumerateObject())
                        if (p.Name.Contains(':')) Generic(w, p.Name, p.Value, ns);
                    w.WriteEndElement();
                    break;
                case "sensorElementList":
                    w.WriteStartElement(name);
                    foreach (var element in v.EnumerateArray()) SensorElement(w, element, ns);
                    w.WriteEndElement();
                    break;
                case "ilmd":
                    w.WriteStartElement(name);
                    foreach (var p in v.EnumerateObject()) Generic(w, p.Name, p.Value, ns);
                    w.WriteEndElement();
                    break;
                case "certificationInfo":
                    foreach (var x in v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Take(1).ToArray() : [v])
                        w.WriteElementString(name, Text(x));
                    break;
                default:
                    w.WriteElementString(name, Text(v));
                    break;
            }
        }
        // User extensions last (the XSD's xsd:any ##other).
        foreach (var p in e.EnumerateObject())
            if (p.Name.Contains(':') && !p.Name.StartsWith('@')) Generic(w, p.Name, p.Value, ns);
        w.WriteEndElement();
    }

    private static void TypedList(XmlWriter w, string list, string item, JsonElement v, CbvVocabulary vocabulary, CbvXmlFormat format)
    {
        w.WriteStartElement(list);
        foreach (var x in v.EnumerateArray())
        {
            w.WriteStartElement(item);
            if (x.TryGetProperty("type", out var type)) w.WriteAttributeString("type", Vocabulary(vocabulary, Text(type), format));
            if (x.TryGetProperty(item, out var value)) w.WriteString(Text(value));
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void SensorElement(XmlWriter w, JsonElement element, Dictionary<string, string> ns)
    {
        w.WriteStartElement("sensorElement");
        if (element.TryGetProperty("sensorMetadata", out var meta) && meta.ValueKind == JsonValueKind.Object)
        {
            w.WriteStartElement("sensorMetadata");
            Attributes(w, meta, ns);
            w.WriteEndElement();
        }
        if (element.TryGetProperty("sensorReport", out var reports))
            foreach (var r in reports.ValueKind == JsonValueKind.Array ? reports.EnumerateArray().ToArray() : [reports])
            {
                w.WriteStartElement("sensorReport");
                if (r.ValueKind == JsonValueKind.Object) Attributes(w, r, ns);
                w.WriteEndElement();
            }
        foreach (var p in element.EnumerateObject())
            if (p.Name.Contains(':')) Generic(w, p.Name, p.Value, ns);
        w.WriteEndElement();

        static void Attributes(XmlWriter w, JsonElement o, Dictionary<string, string> ns)
        {
            foreach (var p in o.EnumerateObject())
            {
                if (p.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null) continue;
                var value = Text(p.Value);
                // A bare measurement type or exception (Temperature, ALARM_CONDITION) is a term of the GS1 vocabulary.
                if (p.Name is "type" or "exception" && !value.Contains(':')) value = "gs1:" + value;
                var colon = p.Name.IndexOf(':');
                if (colon > 0)
                {
                    var prefix = p.Name[..colon];
                    w.WriteAttributeString(prefix, p.Name[(colon + 1)..], NamespaceOf(prefix, ns), value);
                }
                else w.WriteAttributeString(p.Name, value);
            }
        }
    }

    /// <summary>A JSON extension value as XML: text, an object's members as children (#text as text), an array as repeated elements.</summary>
    private static void Generic(XmlWriter w, string name, JsonElement v, Dictionary<string, string> ns)
    {
        if (v.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in v.EnumerateArray()) Generic(w, name, item, ns);
            return;
        }
        var colon = name.IndexOf(':');
        if (colon > 0)
        {
            var prefix = name[..colon];
            w.WriteStartElement(prefix, name[(colon + 1)..], NamespaceOf(prefix, ns));
        }
        else w.WriteStartElement(name, "");
        if (v.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in v.EnumerateObject())
                if (p.Name == "#text") w.WriteString(Text(p.Value));
                else if (!p.Name.StartsWith('@')) Generic(w, p.Name, p.Value, ns);
        }
        else w.WriteString(Text(v));
        w.WriteEndElement();
    }

    private static string NamespaceOf(string prefix, Dictionary<string, string> ns) =>
        ns.TryGetValue(prefix, out var uri) ? uri : "urn:x-traceability:undeclared-prefix:" + prefix;

    private static string Vocabulary(CbvVocabulary vocabulary, string value, CbvXmlFormat format)
    {
        if (value.Contains(':')) return value;
        var web = Cbv.Expand(vocabulary, value);
        if (format == CbvXmlFormat.WebUri || !web.StartsWith(Cbv.BaseUri, StringComparison.Ordinal)) return web;
        return UrnPrefix(vocabulary) + value;
    }

    private static string UrnPrefix(CbvVocabulary vocabulary) => vocabulary switch
    {
        CbvVocabulary.BizStep => "urn:epcglobal:cbv:bizstep:",
        CbvVocabulary.Disposition => "urn:epcglobal:cbv:disp:",
        CbvVocabulary.BizTransactionType => "urn:epcglobal:cbv:btt:",
        CbvVocabulary.SourceDestType => "urn:epcglobal:cbv:sdt:",
        _ => "urn:epcglobal:cbv:er:",
    };

    private static string Text(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        _ => v.GetRawText(),
    };
}
