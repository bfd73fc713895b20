namespace Traceability.Ingestion.FunctionalTests;

public sealed class CaptureTests(TraceabilityApp app) : IClassFixture<TraceabilityApp>
{
    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/ld+json");

    [Fact]
    public async Task A_1000_event_document_is_stored_queryable_and_idempotent()
    {
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "L1000");
        var document = Epcis.Document(Enumerable.Range(0, 1000).Select(i =>
            Epcis.ObjectEvent(gtin, "L1000", i % 2 == 0 ? "shipping" : "https://ref.gs1.org/cbv/BizStep-receiving", i)));

        var first = await producer.Client.PostAsync("/epcis/capture", Json(document));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var job = await producer.Client.GetFromJsonAsync<JsonObject>(first.Headers.Location);
        Assert.True((bool)job!["success"]!);
        Assert.Equal(1000, (int)job["eventCount"]!);

        var byClass = await Epcis.QueryAsync(producer.Client, $"MATCH_epcClass=https://id.gs1.org/01/{gtin}/10/L1000&perPage=300");
        Assert.Equal(1000, byClass.Count);
        Assert.Equal(1000, byClass.Select(e => (string)e!["eventID"]!).Distinct().Count());
        Assert.Equal(500, (await Epcis.QueryAsync(producer.Client, "EQ_bizStep=shipping&perPage=1000")).Count);
        Assert.Equal(500, (await Epcis.QueryAsync(producer.Client, "EQ_bizStep=urn:epcglobal:cbv:bizstep:receiving&perPage=1000")).Count);

        var again = await producer.Client.PostAsync("/epcis/capture", Json(document));
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var second = await producer.Client.GetFromJsonAsync<JsonObject>(again.Headers.Location);
        Assert.Equal(1000, (int)second!["duplicateCount"]!);
        Assert.Equal(1000, (int)second["eventCount"]!);
        Assert.Equal(1000, (await Epcis.QueryAsync(producer.Client, $"MATCH_epcClass=https://id.gs1.org/01/{gtin}/10/L1000&perPage=1000")).Count);
    }

    public static TheoryData<string, string, string> InvalidEvents => new()
    {
        { "bad GTIN check digit", "gtin", "eventList[2]" },
        { "unknown bizStep", "bizStep", "eventList[2].bizStep" },
        { "eventTime without offset", "eventTime", "eventList[2].eventTime" },
        { "lot with a forbidden character", "lot", "eventList[2]" },
    };

    [Theory]
    [MemberData(nameof(InvalidEvents))]
    public async Task A_document_with_one_invalid_event_stores_nothing_and_names_the_event(string _, string defect, string expectedPath)
    {
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "LBAD");
        var events = Enumerable.Range(0, 5).Select(i => Epcis.ObjectEvent(gtin, "LBAD", "shipping", i)).ToList();
        var bad = events[2];
        switch (defect)
        {
            case "gtin": bad["quantityList"]![0]!["epcClass"] = $"https://id.gs1.org/01/{gtin[..13]}{(gtin[13] - '0' + 1) % 10}/10/LBAD"; break;
            case "bizStep": bad["bizStep"] = "teleporting"; break;
            case "eventTime": bad["eventTime"] = "2026-11-01T08:00:00"; break;
            case "lot": bad["quantityList"]![0]!["epcClass"] = $"https://id.gs1.org/01/{gtin}/10/L%23BAD"; break;
        }

        var response = await producer.Client.PostAsync("/epcis/capture", Json(Epcis.Document(events)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var keys = problem["errors"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains(keys, k => k.StartsWith(expectedPath, StringComparison.Ordinal));
        Assert.Empty(await Epcis.QueryAsync(producer.Client, $"MATCH_epcClass=https://id.gs1.org/01/{gtin}/10/LBAD"));
    }

    [Fact]
    public async Task A_single_event_is_created_with_its_location_and_is_idempotent()
    {
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "LONE");
        var evt = Epcis.ObjectEvent(gtin, "LONE", "packing", 1, eventId: "urn:uuid:6a3e0c52-63b8-4c8e-9d0a-1f0b6f1d2b11");

        var created = await producer.Client.PostAsync("/epcis/events", Json(evt));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var stored = await producer.Client.GetFromJsonAsync<JsonObject>(created.Headers.Location);
        Assert.Equal("urn:uuid:6a3e0c52-63b8-4c8e-9d0a-1f0b6f1d2b11", (string)stored!["eventID"]!);

        var again = await producer.Client.PostAsync("/epcis/events", Json(evt));
        Assert.True(again.IsSuccessStatusCode);
        Assert.Single(await Epcis.QueryAsync(producer.Client, $"MATCH_epcClass=https://id.gs1.org/01/{gtin}/10/LONE"));
    }

    [Fact]
    public async Task Events_without_an_eventID_get_the_CBV_event_hash()
    {
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "LHASH");
        var response = await producer.Client.PostAsync("/epcis/events", Json(Epcis.ObjectEvent(gtin, "LHASH", "packing", 1)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("/epcis/events/ni%3A%2F%2F%2Fsha-256%3B", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Query_parameters_that_are_not_supported_or_malformed_get_a_problem()
    {
        var producer = await app.NewProducerAsync();
        foreach (var query in new[] { "EQ_bizStep=teleporting", "GE_eventTime=yesterday", "perPage=0", "MATCH_epc=not-an-epc", "EQ_whatever=1", "nextPageToken=%%%" })
        {
            var response = await producer.Client.GetAsync("/epcis/events?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }
    }

    [Fact]
    public async Task Producers_see_only_their_own_events()
    {
        var a = await app.NewProducerAsync();
        var b = await app.NewProducerAsync();
        var gtin = await a.RegisterProductAsync();
        await a.RegisterLotAsync(gtin, "LMINE");
        Assert.Equal(HttpStatusCode.Accepted, (await a.Client.PostAsync("/epcis/capture",
            Json(Epcis.Document([Epcis.ObjectEvent(gtin, "LMINE", "shipping", 1)])))).StatusCode);

        Assert.Single(await Epcis.QueryAsync(a.Client, $"MATCH_epcClass=https://id.gs1.org/01/{gtin}/10/LMINE"));
        Assert.Empty(await Epcis.QueryAsync(b.Client, $"MATCH_epcClass=https://id.gs1.org/01/{gtin}/10/LMINE"));
        Assert.Single(await Epcis.QueryAsync(app.Admin(), $"MATCH_epcClass=https://id.gs1.org/01/{gtin}/10/LMINE"));
    }
}
