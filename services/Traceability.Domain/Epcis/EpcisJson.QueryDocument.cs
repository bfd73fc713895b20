namespace Traceability.Domain.Epcis;

public static partial class EpcisJson
{
    /// <summary>An EPCISQueryDocument whose eventList holds the given canonical event JSONs verbatim.</summary>
    /// <param name="subscriptionId">Set in a subscription's delivery (EPCIS QueryResults.subscriptionID).</param>
    public static string WriteQueryDocument(IEnumerable<string> eventJsons, string queryName = "SimpleEventQuery", DateTimeOffset? creationDate = null,
        string? subscriptionId = null)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteStartArray("@context");
            w.WriteStringValue(ContextUri);
            w.WriteEndArray();
            w.WriteString("type", "EPCISQueryDocument");
            w.WriteString("schemaVersion", "2.0");
            w.WriteString("creationDate", EpcisEventWriter.FormatTime((creationDate ?? DateTimeOffset.UtcNow).ToUniversalTime()));
            w.WriteStartObject("epcisBody");
            w.WriteStartObject("queryResults");
            w.WriteString("queryName", queryName);
            if (subscriptionId is not null) w.WriteString("subscriptionID", subscriptionId);
            w.WriteStartObject("resultsBody");
            w.WriteStartArray("eventList");
            foreach (var json in eventJsons) w.WriteRawValue(json, skipInputValidation: true);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }
}
