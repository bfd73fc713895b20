namespace Traceability.Ingestion.FunctionalTests;

/// <summary>
/// Issue 20, the rest of the REST binding: sensor-only events, @context for prefixes inside sensor
/// reports and error declarations, orderBy/orderDirection, and the top-level resources.
/// </summary>
public sealed class EpcisResourcesTests(TraceabilityApp app) : IClassFixture<TraceabilityApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/ld+json");

    private static async Task<string> RegisterLocationAsync(TestProducer producer, string code, string? gln = null)
    {
        var response = await producer.Client.PostAsJsonAsync("/api/v1/locations", new { code, name = "Kho " + code, kind = "warehouse", gln }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["identifier"]!;
    }

    private static JsonObject SensorEvent(string? readPoint, string? bizLocation = null, string eventId = "", JsonObject? context = null,
        string reportExtension = "ex:foo")
    {
        var e = new JsonObject
        {
            ["type"] = "ObjectEvent",
            ["eventID"] = eventId.Length > 0 ? eventId : $"urn:uuid:{Guid.NewGuid()}",
            ["eventTime"] = "2026-11-01T08:00:00+07:00",
            ["eventTimeZoneOffset"] = "+07:00",
            ["action"] = "OBSERVE",
            ["bizStep"] = "sensor_reporting",
            ["sensorElementList"] = new JsonArray(new JsonObject
            {
                ["sensorMetadata"] = new JsonObject { ["time"] = "2026-11-01T08:00:00+07:00" },
                ["sensorReport"] = new JsonArray(new JsonObject
                {
                    ["type"] = "gs1:MT-Temperature", ["value"] = 4.5, ["uom"] = "CEL", [reportExtension] = "bar",
                }),
            }),
        };
        if (readPoint is not null) e["readPoint"] = new JsonObject { ["id"] = readPoint };
        if (bizLocation is not null) e["bizLocation"] = new JsonObject { ["id"] = bizLocation };
        if (context is not null) e["@context"] = new JsonArray("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", context);
        return e;
    }

    private static async Task<string> BodyAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {text}");
        return text;
    }

    [Fact]
    public async Task A_sensor_only_event_at_the_producers_own_location_is_captured_and_read_back()
    {
        var producer = await app.NewProducerAsync();
        var gln = producer.NewGtin();
        // The API names each location as an event can carry it: an absolute URI.
        Assert.Equal($"https://id.gs1.org/414/{gln}", await RegisterLocationAsync(producer, "KHO-1", gln));
        var privateId = await RegisterLocationAsync(producer, "KHO-2");
        Assert.StartsWith("urn:x-traceability:loc:", privateId);
        var sgln = $"urn:epc:id:sgln:{producer.Prefix}.{gln[producer.Prefix.Length..12]}.0";

        foreach (var (readPoint, bizLocation) in new (string?, string?)[]
                 {
                     ($"https://id.gs1.org/414/{gln}", null), (sgln, null), (null, privateId), ("urn:example:elsewhere", $"https://id.gs1.org/414/{gln}/254/7"),
                 })
        {
            var id = $"urn:uuid:{Guid.NewGuid()}";
            await BodyAsync(await producer.Client.PostAsync("/epcis/events", Json(SensorEvent(readPoint, bizLocation, id,
                new JsonObject { ["ex"] = "https://example.com/ex#" })), Ct), HttpStatusCode.Created);
            var back = JsonNode.Parse(await producer.Client.GetStringAsync($"/epcis/events/{Uri.EscapeDataString(id)}", Ct))!;
            Assert.Equal(4.5, (double)back["sensorElementList"]![0]!["sensorReport"]![0]!["value"]!);
        }
    }

    [Fact]
    public async Task A_sensor_only_event_elsewhere_or_without_a_place_is_refused_with_a_clear_message()
    {
        var producer = await app.NewProducerAsync();
        var other = await app.NewProducerAsync();
        var otherGln = other.NewGtin();
        await RegisterLocationAsync(other, "KHO-X", otherGln);

        var foreign = await BodyAsync(await producer.Client.PostAsync("/epcis/events",
            Json(SensorEvent($"https://id.gs1.org/414/{otherGln}")), Ct), HttpStatusCode.Forbidden);
        Assert.Contains("names no object", foreign);
        Assert.Contains("location you registered", foreign);

        var nowhere = await BodyAsync(await producer.Client.PostAsync("/epcis/events", Json(SensorEvent(null)), Ct), HttpStatusCode.BadRequest);
        Assert.Contains("identifies no object", nowhere);
        Assert.Contains("sensorElementList needs a readPoint or bizLocation", nowhere);
    }

    [Fact]
    public async Task A_prefix_used_only_inside_a_sensor_report_or_an_error_declaration_is_in_the_returned_context()
    {
        var producer = await app.NewProducerAsync();
        var gln = producer.NewGtin();
        await RegisterLocationAsync(producer, "KHO-1", gln);
        var id = $"urn:uuid:{Guid.NewGuid()}";
        var evt = SensorEvent($"https://id.gs1.org/414/{gln}", eventId: id);
        var document = Epcis.Document([evt]);
        document["@context"]!.AsArray().Add(new JsonObject { ["ex"] = "https://example.com/ex#", ["dx"] = "https://example.com/dx#" });
        await BodyAsync(await producer.Client.PostAsync("/epcis/capture", Json(document), Ct), HttpStatusCode.Accepted);

        var back = JsonNode.Parse(await producer.Client.GetStringAsync($"/epcis/events/{Uri.EscapeDataString(id)}", Ct))!;
        Assert.Equal("https://example.com/ex#", Prefix(back, "ex"));
        Assert.Null(Prefix(back, "dx")); // declared but unused: left out
        var queried = Assert.Single(await Epcis.QueryAsync(producer.Client, "EQ_eventID=" + Uri.EscapeDataString(id)))!;
        Assert.Equal("https://example.com/ex#", Prefix(queried, "ex"));

        // An error declaration whose only extension is inside errorDeclaration.
        var declared = evt.DeepClone().AsObject();
        declared["errorDeclaration"] = new JsonObject
        {
            ["declarationTime"] = "2026-11-02T09:00:00+07:00", ["reason"] = "incorrect_data", ["dx:note"] = "sensor drift",
        };
        var second = Epcis.Document([declared]);
        second["@context"]!.AsArray().Add(new JsonObject { ["ex"] = "https://example.com/ex#", ["dx"] = "https://example.com/dx#" });
        await BodyAsync(await producer.Client.PostAsync("/epcis/capture", Json(second), Ct), HttpStatusCode.Accepted);
        var corrected = JsonNode.Parse(await producer.Client.GetStringAsync($"/epcis/events/{Uri.EscapeDataString(id)}", Ct))!;
        Assert.Equal("sensor drift", (string?)corrected["errorDeclaration"]!["dx:note"]);
        Assert.Equal("https://example.com/dx#", Prefix(corrected, "dx"));
        Assert.Equal("https://example.com/ex#", Prefix(corrected, "ex"));
    }

    [Fact]
    public async Task OrderBy_and_orderDirection_order_every_page_and_a_token_keeps_its_order()
    {
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "O1");
        // Three captures (record times ascend) whose event times do not follow them.
        foreach (var batch in new[] { new[] { 3, 1 }, [4], [0, 2] })
            await BodyAsync(await producer.Client.PostAsync("/epcis/capture",
                Json(Epcis.Document(batch.Select(n => Epcis.ObjectEvent(gtin, "O1", "commissioning", n)))), Ct), HttpStatusCode.Accepted);
        var all = (await Epcis.QueryAsync(producer.Client, "perPage=100")).Select(e => e!).ToList();
        Assert.Equal(5, all.Count);

        static string Id(JsonNode e) => (string)e["eventID"]!;
        List<string> Expected(string field, bool descending)
        {
            var ordered = all.OrderBy(e => DateTimeOffset.Parse((string)e[field]!).ToUnixTimeMilliseconds()).ThenBy(Id, StringComparer.Ordinal);
            var ids = ordered.Select(Id).ToList();
            if (descending) ids.Reverse();
            return ids;
        }

        Assert.Equal(Expected("recordTime", false), all.Select(Id)); // the default
        foreach (var (query, field, descending) in new[]
                 {
                     ("orderBy=eventTime&orderDirection=ASC", "eventTime", false),
                     ("orderBy=eventTime&orderDirection=DESC", "eventTime", true),
                     ("orderBy=eventTime", "eventTime", true), // DESC is the binding's default with orderBy
                     ("orderBy=recordTime&orderDirection=ASC", "recordTime", false),
                     ("orderBy=recordTime&orderDirection=DESC", "recordTime", true),
                 })
        {
            var paged = await Epcis.QueryAsync(producer.Client, query + "&perPage=2");
            Assert.Equal(Expected(field, descending), paged.Select(e => Id(e!)));
        }

        // A token continues only the order it was issued for.
        var first = await producer.Client.GetAsync("/epcis/events?orderBy=eventTime&orderDirection=ASC&perPage=2", Ct);
        var token = Uri.EscapeDataString(first.Headers.GetValues("GS1-Next-Page-Token").Single());
        foreach (var other in new[] { "orderBy=eventTime&orderDirection=DESC", "orderBy=recordTime&orderDirection=ASC", "" })
        {
            var refused = await BodyAsync(await producer.Client.GetAsync($"/epcis/events?{other}&perPage=2&nextPageToken={token}", Ct), HttpStatusCode.BadRequest);
            Assert.Contains("same orderBy and orderDirection", refused);
        }
        var defaultFirst = await producer.Client.GetAsync("/epcis/events?perPage=2", Ct);
        var defaultToken = Uri.EscapeDataString(defaultFirst.Headers.GetValues("GS1-Next-Page-Token").Single());
        await BodyAsync(await producer.Client.GetAsync($"/epcis/events?orderBy=recordTime&orderDirection=ASC&perPage=2&nextPageToken={defaultToken}", Ct), HttpStatusCode.OK);
        await BodyAsync(await producer.Client.GetAsync($"/epcis/events?orderBy=recordTime&perPage=2&nextPageToken={defaultToken}", Ct), HttpStatusCode.BadRequest);

        foreach (var bad in new[] { "orderBy=ex:weight", "orderBy=bizStep", "orderDirection=down" })
            await BodyAsync(await producer.Client.GetAsync("/epcis/events?" + bad, Ct), HttpStatusCode.BadRequest);
    }

    private static async Task<List<string>> MembersAsync(HttpClient client, string path)
    {
        var body = JsonNode.Parse(await BodyAsync(await client.GetAsync(path, Ct), HttpStatusCode.OK))!;
        Assert.Equal("Collection", (string?)body["type"]);
        return [.. body["member"]!.AsArray().Select(m => (string)m!)];
    }

    /// <summary>Every event of a resource's /events, following the Link header (the path keeps the filter).</summary>
    private static async Task<List<string>> EventIdsAsync(HttpClient client, string path)
    {
        var ids = new List<string>();
        string? url = path;
        while (url is not null)
        {
            var response = await client.GetAsync(url, Ct);
            var body = JsonNode.Parse(await BodyAsync(response, HttpStatusCode.OK))!;
            ids.AddRange(body["epcisBody"]!["queryResults"]!["resultsBody"]!["eventList"]!.AsArray().Select(e => (string)e!["eventID"]!));
            url = response.Headers.TryGetValues("Link", out var links) ? links.Single().Split('>')[0].TrimStart('<') : null;
        }
        return ids;
    }

    [Fact]
    public async Task Top_level_resources_list_the_callers_values_and_their_events_are_the_filtered_query()
    {
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "T1");
        var gln = producer.NewGtin();
        await RegisterLocationAsync(producer, "KHO-1", gln);
        var privateId = await RegisterLocationAsync(producer, "KHO-2");
        var readPoint = $"https://id.gs1.org/414/{gln}";
        var shipped = Epcis.ObjectEvent(gtin, "T1", "shipping", 2);
        shipped["readPoint"] = new JsonObject { ["id"] = $"urn:epc:id:sgln:{producer.Prefix}.{gln[producer.Prefix.Length..12]}.0" };
        shipped["bizLocation"] = new JsonObject { ["id"] = privateId };
        await BodyAsync(await producer.Client.PostAsync("/epcis/capture", Json(Epcis.Document(
        [
            Epcis.ObjectEvent(gtin, "T1", "commissioning", 0), Epcis.ObjectEvent(gtin, "T1", "commissioning", 1), shipped,
            SensorEvent(readPoint),
        ])), Ct), HttpStatusCode.Accepted);
        // Another producer's values are not listed.
        var other = await app.NewProducerAsync();
        var otherGtin = await other.RegisterProductAsync();
        await other.RegisterLotAsync(otherGtin, "Z1");
        var received = Epcis.ObjectEvent(otherGtin, "Z1", "receiving", 0);
        received["disposition"] = "in_transit";
        await BodyAsync(await other.Client.PostAsync("/epcis/capture", Json(Epcis.Document([received])), Ct), HttpStatusCode.Accepted);

        var c = producer.Client;
        Assert.Equal(["ObjectEvent", "AggregationEvent", "TransformationEvent", "AssociationEvent", "TransactionEvent"], await MembersAsync(c, "/epcis/eventTypes"));
        Assert.Equal(["commissioning", "sensor_reporting", "shipping"], await MembersAsync(c, "/epcis/bizSteps"));
        Assert.Equal(["commissioning"], await MembersAsync(c, "/epcis/bizSteps?perPage=1"));
        Assert.Equal(["in_progress"], await MembersAsync(c, "/epcis/dispositions"));
        Assert.Equal([readPoint], await MembersAsync(c, "/epcis/readPoints")); // the SGLN and the Digital Link are one GLN
        Assert.Equal([privateId], await MembersAsync(c, "/epcis/bizLocations"));
        Assert.Equal([$"https://id.gs1.org/01/{gtin}/10/T1"], await MembersAsync(c, "/epcis/epcs"));
        Assert.Equal(["receiving"], await MembersAsync(other.Client, "/epcis/bizSteps"));
        Assert.Contains("receiving", await MembersAsync(app.Admin(), "/epcis/bizSteps")); // the admin sees every producer's
        Assert.Equal(["events"], await MembersAsync(c, "/epcis/bizSteps/shipping"));
        Assert.Equal(["events"], await MembersAsync(c, "/epcis/eventTypes/ObjectEvent"));

        // /{value}/events is /epcis/events with the path's filter, paged the same way.
        async Task<List<string>> Query(string q) => [.. (await Epcis.QueryAsync(c, q)).Select(e => (string)e!["eventID"]!)];
        Assert.Equal(await Query("EQ_bizStep=commissioning"), await EventIdsAsync(c, "/epcis/bizSteps/commissioning/events?perPage=1"));
        Assert.Equal(2, (await EventIdsAsync(c, "/epcis/bizSteps/commissioning/events")).Count);
        Assert.Equal(await Query("EQ_bizStep=shipping"),
            await EventIdsAsync(c, "/epcis/bizSteps/" + Uri.EscapeDataString("urn:epcglobal:cbv:bizstep:shipping") + "/events"));
        Assert.Equal(4, (await EventIdsAsync(c, "/epcis/eventTypes/ObjectEvent/events")).Count);
        Assert.Empty(await EventIdsAsync(c, "/epcis/eventTypes/AggregationEvent/events"));
        Assert.Equal(3, (await EventIdsAsync(c, "/epcis/dispositions/in_progress/events")).Count);
        Assert.Equal(2, (await EventIdsAsync(c, "/epcis/readPoints/" + Uri.EscapeDataString(readPoint) + "/events")).Count);
        Assert.Single(await EventIdsAsync(c, "/epcis/bizLocations/" + Uri.EscapeDataString(privateId) + "/events"));
        Assert.Equal(await Query($"MATCH_anyEPCClass={Uri.EscapeDataString($"https://id.gs1.org/01/{gtin}/10/T1")}"),
            await EventIdsAsync(c, "/epcis/epcs/" + Uri.EscapeDataString($"https://id.gs1.org/01/{gtin}/10/T1") + "/events"));
        Assert.Equal(2, (await EventIdsAsync(c, "/epcis/epcs/" + Uri.EscapeDataString($"https://id.gs1.org/01/{gtin}/10/T1") + "/events?EQ_bizStep=commissioning")).Count);
        Assert.Empty(await EventIdsAsync(other.Client, "/epcis/bizSteps/commissioning/events")); // scoped like /epcis/events

        // Refusals.
        await BodyAsync(await c.GetAsync("/epcis/eventTypes/Nope/events", Ct), HttpStatusCode.NotFound);
        await BodyAsync(await c.GetAsync("/epcis/bizSteps/not%20a%20step", Ct), HttpStatusCode.NotFound);
        await BodyAsync(await c.GetAsync("/epcis/bizSteps/shipping/events?EQ_bizStep=receiving", Ct), HttpStatusCode.BadRequest);
        await BodyAsync(await c.GetAsync("/epcis/bizSteps?nextPageToken=x", Ct), HttpStatusCode.BadRequest);
        await BodyAsync(await c.GetAsync("/epcis/bizSteps?perPage=0", Ct), HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/epcis/bizSteps", Ct)).StatusCode);

        using var options = new HttpRequestMessage(HttpMethod.Options, "/epcis/bizSteps/shipping/events");
        var allowed = await app.CreateClient().SendAsync(options, Ct);
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal("GET, OPTIONS", string.Join(", ", allowed.Content.Headers.Allow));
    }

    private static string? Prefix(JsonNode evt, string prefix) =>
        evt["@context"] is JsonArray context
            ? context.OfType<JsonObject>().Select(o => (string?)o[prefix]).FirstOrDefault(v => v is not null)
            : null;
}
