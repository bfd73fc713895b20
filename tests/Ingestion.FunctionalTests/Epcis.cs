namespace Traceability.Ingestion.FunctionalTests;

/// <summary>Builds EPCIS 2.0 JSON-LD documents for tests.</summary>
public static class Epcis
{
    public static JsonObject Document(IEnumerable<JsonObject> events) => new()
    {
        ["@context"] = new JsonArray("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"),
        ["type"] = "EPCISDocument",
        ["schemaVersion"] = "2.0",
        ["creationDate"] = "2026-11-01T00:00:00Z",
        ["epcisBody"] = new JsonObject { ["eventList"] = new JsonArray([.. events]) },
    };

    public static JsonObject ObjectEvent(string gtin14, string lot, string bizStep, int n, string? eventId = null)
    {
        var e = new JsonObject
        {
            ["type"] = "ObjectEvent",
            ["eventTime"] = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.FromHours(7)).AddSeconds(n).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz"),
            ["eventTimeZoneOffset"] = "+07:00",
            ["action"] = "OBSERVE",
            ["bizStep"] = bizStep,
            ["disposition"] = "in_progress",
            ["quantityList"] = new JsonArray(new JsonObject
            {
                ["epcClass"] = $"https://id.gs1.org/01/{gtin14}/10/{lot}", ["quantity"] = n + 1, ["uom"] = "KGM",
            }),
        };
        if (eventId is not null) e["eventID"] = eventId;
        return e;
    }

    /// <summary>Every event a query matches, following the next-page tokens.</summary>
    public static async Task<JsonArray> QueryAsync(HttpClient client, string query)
    {
        var all = new JsonArray();
        var url = "/epcis/events?" + query;
        while (true)
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            foreach (var e in body["epcisBody"]!["queryResults"]!["resultsBody"]!["eventList"]!.AsArray())
                all.Add(e!.DeepClone());
            if (!response.Headers.TryGetValues("GS1-Next-Page-Token", out var tokens)) return all;
            url = "/epcis/events?" + query + "&nextPageToken=" + Uri.EscapeDataString(tokens.Single());
        }
    }
}
