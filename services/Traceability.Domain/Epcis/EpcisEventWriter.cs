using System.Buffers;

namespace Traceability.Domain.Epcis;

/// <summary>Writes the canonical JSON-LD of one event: camelCase, bare CBV terms, eventID always present.</summary>
internal static class EpcisEventWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string FormatTime(DateTimeOffset t) =>
        t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    // One buffer and writer per thread, reused: a capture writes every event once, and a new stream
    // and writer per event (growing from 1 KB each time) allocated several times the event's size.
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    public static string Write(EpcisEvent e)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var w = t_writer ??= new Utf8JsonWriter(buffer, Options);
        w.Reset(buffer);
        try
        {
            w.WriteStartObject();
            if (e.Namespaces.Count > 0)
            {
                w.WriteStartArray("@context");
                w.WriteStartObject();
                foreach (var (prefix, uri) in e.Namespaces.OrderBy(n => n.Key, StringComparer.Ordinal))
                    w.WriteString(prefix, uri);
                w.WriteEndObject();
                w.WriteEndArray();
            }
            w.WriteString("type", e.Type);
            w.WriteString("eventID", e.EventId);
            w.WriteString("eventTime", FormatTime(e.EventTime));
            w.WriteString("eventTimeZoneOffset", e.EventTimeZoneOffset);
            if (e.RecordTime is { } rt) w.WriteString("recordTime", FormatTime(rt));
            Node(w, "errorDeclaration", e.ErrorDeclaration);
            Strings(w, "epcList", e.EpcList);
            if (e.ParentId is not null) w.WriteString("parentID", e.ParentId);
            Strings(w, "childEPCs", e.ChildEpcs);
            Strings(w, "inputEPCList", e.InputEpcList);
            Strings(w, "outputEPCList", e.OutputEpcList);
            Quantities(w, "quantityList", e.QuantityList);
            Quantities(w, "childQuantityList", e.ChildQuantityList);
            Quantities(w, "inputQuantityList", e.InputQuantityList);
            Quantities(w, "outputQuantityList", e.OutputQuantityList);
            if (e.TransformationId is not null) w.WriteString("transformationID", e.TransformationId);
            if (e.Action is not null) w.WriteString("action", e.Action);
            if (e.BizStep is not null) w.WriteString("bizStep", e.BizStep);
            if (e.Disposition is not null) w.WriteString("disposition", e.Disposition);
            Node(w, "persistentDisposition", e.PersistentDisposition);
            Id(w, "readPoint", e.ReadPoint);
            Id(w, "bizLocation", e.BizLocation);
            Typed(w, "bizTransactionList", "bizTransaction", e.BizTransactionList);
            Typed(w, "sourceList", "source", e.SourceList);
            Typed(w, "destinationList", "destination", e.DestinationList);
            Node(w, "sensorElementList", e.SensorElementList);
            Node(w, "ilmd", e.Ilmd);
            Node(w, "certificationInfo", e.CertificationInfo);
            foreach (var (name, value) in e.Extensions)
                Node(w, name, value, writeNull: true);
            w.WriteEndObject();
            w.Flush();
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            // A large event must not pin its buffer to the thread for good.
            if (buffer.Capacity > 256 * 1024) (t_buffer, t_writer) = (null, null);
        }
    }

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0) return;
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static void Quantities(Utf8JsonWriter w, string name, IReadOnlyList<QuantityElement> values)
    {
        if (values.Count == 0) return;
        w.WriteStartArray(name);
        foreach (var q in values)
        {
            w.WriteStartObject();
            w.WriteString("epcClass", q.EpcClass);
            if (q.Quantity is { } n) w.WriteNumber("quantity", n);
            if (q.Uom is not null) w.WriteString("uom", q.Uom);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Typed(Utf8JsonWriter w, string name, string valueName, IReadOnlyList<TypedValue> values)
    {
        if (values.Count == 0) return;
        w.WriteStartArray(name);
        foreach (var t in values)
        {
            w.WriteStartObject();
            if (t.Type is not null) w.WriteString("type", t.Type);
            w.WriteString(valueName, t.Value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Id(Utf8JsonWriter w, string name, string? id)
    {
        if (id is null) return;
        w.WriteStartObject(name);
        w.WriteString("id", id);
        w.WriteEndObject();
    }

    private static void Node(Utf8JsonWriter w, string name, JsonNode? node, bool writeNull = false)
    {
        if (node is null && !writeNull) return;
        w.WritePropertyName(name);
        if (node is null) w.WriteNullValue();
        else node.WriteTo(w);
    }
}
