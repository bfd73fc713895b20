using Traceability.PortalSimulator;

namespace Traceability.Ingestion.FunctionalTests;

/// <summary>
/// Issue 20: EPCIS error declarations (EPCIS 2.0 §7.4.1.5). A stored event repeated with
/// errorDeclaration is kept as its declaration beside it; queries, the lot page and the portal show
/// the declared state; corrective events join the journey.
/// </summary>
public sealed class ErrorDeclarationTests(TraceabilityApp app) : IClassFixture<TraceabilityApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/ld+json");

    /// <summary>The event repeated with its errorDeclaration (a copy: the original stays as it was).</summary>
    private static JsonObject Declared(JsonObject original, string reason, params string[] corrective)
    {
        var declared = original.DeepClone().AsObject();
        var declaration = new JsonObject { ["declarationTime"] = "2026-11-02T09:00:00+07:00", ["reason"] = reason };
        if (corrective.Length > 0) declaration["correctiveEventIDs"] = new JsonArray([.. corrective.Select(c => (JsonNode)c)]);
        declared["errorDeclaration"] = declaration;
        return declared;
    }

    private static async Task<JsonObject> JobAsync(HttpClient client, HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        return (await client.GetFromJsonAsync<JsonObject>(response.Headers.Location, Ct))!;
    }

    private static async Task<JsonObject> ErrorsAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<JsonObject> LotJsonAsync(HttpClient client, string gtin, string lot)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/01/{gtin}/10/{lot}");
        request.Headers.Accept.ParseAdd("application/json");
        var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
    }

    [Fact]
    public async Task A_declaration_and_its_corrective_event_in_one_document_show_in_queries_on_the_lot_page_and_at_the_portal()
    {
        await using var portal = await SimulatorHost.StartAsync();
        await using var host = new TraceabilityApp { Settings = portal.HostSettings() };
        var producer = await host.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "E1");
        var originalId = $"urn:uuid:{Guid.NewGuid()}";
        var correctiveId = $"urn:uuid:{Guid.NewGuid()}";
        var original = Epcis.ObjectEvent(gtin, "E1", "shipping", 1, originalId);
        await JobAsync(producer.Client, await producer.Client.PostAsync("/epcis/capture", Json(Epcis.Document([Epcis.ObjectEvent(gtin, "E1", "commissioning", 0), original])), Ct));
        await ReliabilityTests.WaitForSyncAsync(host.Admin());
        var statusBefore = (string?)(await LotJsonAsync(host.CreateClient(), gtin, "E1"))["status"];

        // The shipment was 2 kg, not 1 kg: a corrective event and the declaration, in one document.
        var corrective = Epcis.ObjectEvent(gtin, "E1", "shipping", 2, correctiveId);
        var job = await JobAsync(producer.Client, await producer.Client.PostAsync("/epcis/capture",
            Json(Epcis.Document([corrective, Declared(original, "incorrect_data", correctiveId)])), Ct));
        Assert.Equal((true, 2, 0), ((bool)job["success"]!, (int)job["eventCount"]!, (int)job["duplicateCount"]!));

        // Queries return the declared state.
        var declared = Assert.Single(await Epcis.QueryAsync(producer.Client, "EXISTS_errorDeclaration"))!;
        Assert.Equal(originalId, (string?)declared["eventID"]);
        Assert.Equal("incorrect_data", (string?)declared["errorDeclaration"]!["reason"]);
        Assert.Equal(correctiveId, (string?)declared["errorDeclaration"]!["correctiveEventIDs"]![0]);
        Assert.Equal(DateTimeOffset.Parse((string)original["eventTime"]!), DateTimeOffset.Parse((string)declared["eventTime"]!));
        var byId = JsonNode.Parse(await producer.Client.GetStringAsync($"/epcis/events/{Uri.EscapeDataString(originalId)}", Ct))!;
        Assert.Equal("2026-11-02T09:00:00+07:00", (string?)byId["errorDeclaration"]!["declarationTime"]);
        Assert.Equal([originalId], (await Epcis.QueryAsync(producer.Client, "EQ_errorReason=incorrect_data")).Select(e => (string?)e!["eventID"]));
        Assert.Equal([originalId], (await Epcis.QueryAsync(producer.Client, "EQ_errorReason=" + Uri.EscapeDataString("https://ref.gs1.org/cbv/ER-incorrect_data"))).Select(e => (string?)e!["eventID"]));
        Assert.Empty(await Epcis.QueryAsync(producer.Client, "EQ_errorReason=did_not_occur"));
        Assert.Equal([originalId], (await Epcis.QueryAsync(producer.Client, "EQ_correctiveEventID=" + Uri.EscapeDataString(correctiveId))).Select(e => (string?)e!["eventID"]));
        Assert.Equal(2, (await Epcis.QueryAsync(producer.Client, "EQ_eventID=" + Uri.EscapeDataString(originalId) + "|" + Uri.EscapeDataString(correctiveId))).Count);

        // The lot page marks the declared event and shows the correction in the journey; the status is unchanged.
        var page = await LotJsonAsync(host.CreateClient(), gtin, "E1");
        var events = page["events"]!.AsArray();
        Assert.Equal(3, events.Count);
        var marked = Assert.Single(events, e => (bool)e!["corrected"]!)!;
        Assert.Equal("incorrect_data", (string?)marked["correctionReason"]);
        Assert.Equal([correctiveId], marked["correctiveEventIds"]!.AsArray().Select(i => (string?)i));
        Assert.Single(events, e => (bool)e!["correction"]!);
        Assert.Equal(statusBefore, (string?)page["status"]);
        var html = await host.CreateClient().GetStringAsync($"/01/{gtin}/10/E1", Ct);
        Assert.Contains("Đã đính chính", html);

        // The portal receives the event again with its correction and keeps the latest.
        await ReliabilityTests.WaitForSyncAsync(host.Admin());
        var received = portal.State.Received("event");
        var pushed = Assert.Single(received, r => r.NaturalKey == originalId);
        var body = Assert.IsType<EventRequest>(pushed.Body);
        Assert.Equal("incorrect_data", body.DinhChinh!.LyDo);
        Assert.Equal([correctiveId], body.DinhChinh.MaSuKienDinhChinh);
        Assert.Equal(1, pushed.Corrections);
        Assert.Single(received, r => r.NaturalKey == correctiveId);
        var stats = await portal.StatsAsync();
        Assert.Equal((3, 1L, 0L), (stats.Events, stats.Corrections, stats.DuplicatesStored));

        // The same declaration again is a duplicate; the original resent is one too.
        var again = await JobAsync(producer.Client, await producer.Client.PostAsync("/epcis/capture",
            Json(Epcis.Document([Declared(original, "incorrect_data", correctiveId), original.DeepClone().AsObject()])), Ct));
        Assert.Equal((2, 2), ((int)again["eventCount"]!, (int)again["duplicateCount"]!));
    }

    [Fact]
    public async Task A_declaration_sent_apart_from_its_corrective_event_is_stored_and_sent_again_is_a_duplicate()
    {
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "E2");
        var original = Epcis.ObjectEvent(gtin, "E2", "receiving", 0, $"urn:uuid:{Guid.NewGuid()}");
        var originalId = (string)original["eventID"]!;
        await JobAsync(producer.Client, await producer.Client.PostAsync("/epcis/capture", Json(Epcis.Document([original])), Ct));
        var correctiveId = $"urn:uuid:{Guid.NewGuid()}";
        await JobAsync(producer.Client, await producer.Client.PostAsync("/epcis/capture",
            Json(Epcis.Document([Epcis.ObjectEvent(gtin, "E2", "receiving", 5, correctiveId)])), Ct));

        var single = await producer.Client.PostAsync("/epcis/events", Json(Declared(original, "incorrect_data", correctiveId)), Ct);
        Assert.Equal(HttpStatusCode.Created, single.StatusCode);
        Assert.EndsWith(Uri.EscapeDataString(originalId), single.Headers.Location!.ToString());
        var twice = await producer.Client.PostAsync("/epcis/events", Json(Declared(original, "incorrect_data", correctiveId)), Ct);
        Assert.Equal(HttpStatusCode.Created, twice.StatusCode);
        Assert.Equal(1, (int)(await twice.Content.ReadFromJsonAsync<JsonObject>(Ct))!["duplicateCount"]!);

        var read = JsonNode.Parse(await producer.Client.GetStringAsync($"/epcis/events/{Uri.EscapeDataString(originalId)}", Ct))!;
        Assert.Equal(correctiveId, (string?)read["errorDeclaration"]!["correctiveEventIDs"]![0]);

        // Another declaration for a declared event is refused (409 for one event, 400 naming the path in a document).
        var other = await producer.Client.PostAsync("/epcis/events", Json(Declared(original, "did_not_occur")), Ct);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        var inDocument = await ErrorsAsync(await producer.Client.PostAsync("/epcis/capture", Json(Epcis.Document([Declared(original, "did_not_occur")])), Ct),
            HttpStatusCode.BadRequest);
        Assert.Contains(originalId, (string)inDocument["errors"]!["eventList[0].errorDeclaration"]![0]!);
    }

    [Fact]
    public async Task A_declaration_for_an_event_that_is_not_stored_is_refused_naming_the_path()
    {
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "E3");
        var ghost = Epcis.ObjectEvent(gtin, "E3", "shipping", 0, $"urn:uuid:{Guid.NewGuid()}");

        var problem = await ErrorsAsync(await producer.Client.PostAsync("/epcis/capture",
            Json(Epcis.Document([Epcis.ObjectEvent(gtin, "E3", "packing", 1), Declared(ghost, "did_not_occur")])), Ct), HttpStatusCode.BadRequest);

        var message = (string)problem["errors"]!["eventList[1].eventID"]![0]!;
        Assert.Contains((string)ghost["eventID"]!, message);
        Assert.Contains("not stored", message);
        Assert.Empty(await Epcis.QueryAsync(producer.Client, "EQ_bizStep=packing")); // rollback: nothing of the document
        var single = await ErrorsAsync(await producer.Client.PostAsync("/epcis/events", Json(Declared(ghost, "did_not_occur")), Ct), HttpStatusCode.BadRequest);
        Assert.NotNull(single["errors"]!["eventID"]);
    }

    [Fact]
    public async Task A_declaration_for_another_producers_event_is_refused()
    {
        var owner = await app.NewProducerAsync();
        var gtin = await owner.RegisterProductAsync();
        await owner.RegisterLotAsync(gtin, "E4");
        var original = Epcis.ObjectEvent(gtin, "E4", "shipping", 0, $"urn:uuid:{Guid.NewGuid()}");
        await JobAsync(owner.Client, await owner.Client.PostAsync("/epcis/capture", Json(Epcis.Document([original])), Ct));
        var other = await app.NewProducerAsync();

        var response = await other.Client.PostAsync("/epcis/capture", Json(Epcis.Document([Declared(original, "did_not_occur")])), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await Epcis.QueryAsync(owner.Client, "EXISTS_errorDeclaration"));
    }

    [Fact]
    public async Task A_declaration_that_changes_the_event_is_refused_naming_the_difference()
    {
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "E5");
        var original = Epcis.ObjectEvent(gtin, "E5", "shipping", 0, $"urn:uuid:{Guid.NewGuid()}");
        await JobAsync(producer.Client, await producer.Client.PostAsync("/epcis/capture", Json(Epcis.Document([original])), Ct));
        var changed = Declared(original, "incorrect_data");
        changed["bizStep"] = "receiving";

        var problem = await ErrorsAsync(await producer.Client.PostAsync("/epcis/capture", Json(Epcis.Document([changed])), Ct), HttpStatusCode.BadRequest);

        var message = (string)problem["errors"]!["eventList[0].bizStep"]![0]!;
        Assert.Contains("\"shipping\"", message);
        Assert.Contains("\"receiving\"", message);
        Assert.Empty(await Epcis.QueryAsync(producer.Client, "EXISTS_errorDeclaration"));
        // A changed event without errorDeclaration is still a changed duplicate (EpcisProtocolTests has the full case).
        original["bizStep"] = "receiving";
        Assert.Equal(HttpStatusCode.Conflict, (await producer.Client.PostAsync("/epcis/events", Json(original), Ct)).StatusCode);
    }

    [Fact]
    public async Task Unsupported_error_declaration_query_values_are_refused_and_the_names_are_announced()
    {
        var producer = await app.NewProducerAsync();
        var bad = await producer.Client.GetAsync("/epcis/events?GE_errorDeclarationTime=yesterday", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var unknown = await producer.Client.GetAsync("/epcis/events?EXISTS_nothing", Ct);
        Assert.Contains("EXISTS_errorDeclaration", await unknown.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task GS1s_error_declaration_example_is_captured_after_the_event_it_declares()
    {
        // GS1's Example_9.6.1 with an error declaration: shipping of two SGTINs of 0614141.107346 declared
        // incorrect_data, and an unrelated receiving event. Its producer owns GS1 company prefix 0614141.
        var company = await app.Admin().PostAsJsonAsync("/api/v1/producers", new
        {
            name = "GS1 example company", taxCode = Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture),
            address = "x", province = "Tuyên Quang", companyPrefixes = new[] { "0614141" },
        }, Ct);
        Assert.True(company.IsSuccessStatusCode, await company.Content.ReadAsStringAsync(Ct));
        var client = app.ClientWithKey((string)(await company.Content.ReadFromJsonAsync<JsonObject>(Ct))!["apiKey"]!);
        var product = await client.PostAsJsonAsync("/api/v1/products", new { gtin = "10614141073464", name = new { vi = "Sản phẩm mẫu GS1" } }, Ct);
        Assert.True(product.StatusCode == HttpStatusCode.Created, await product.Content.ReadAsStringAsync(Ct));
        var example = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Epcis", "Examples", "JSON", "Example_9.6.1-ObjectEvent-with-error-declaration.jsonld"), Ct))!;
        var declaration = example["epcisBody"]!["eventList"]![0]!.AsObject();
        var eventId = (string)declaration["eventID"]!;

        // Before its event is stored, the declaration is refused.
        var early = await ErrorsAsync(await client.PostAsync("/epcis/capture", Json(example), Ct), HttpStatusCode.BadRequest);
        Assert.NotNull(early["errors"]!["eventList[0].eventID"]);

        var original = example.DeepClone();
        original["epcisBody"]!["eventList"]!.AsArray().RemoveAt(1);
        original["epcisBody"]!["eventList"]![0]!.AsObject().Remove("errorDeclaration");
        await JobAsync(client, await client.PostAsync("/epcis/capture", Json(original), Ct));

        var job = await JobAsync(client, await client.PostAsync("/epcis/capture", Json(example), Ct));

        Assert.Equal((true, 2, 0), ((bool)job["success"]!, (int)job["eventCount"]!, (int)job["duplicateCount"]!));
        var read = JsonNode.Parse(await client.GetStringAsync($"/epcis/events/{Uri.EscapeDataString(eventId)}", Ct))!;
        Assert.Equal("incorrect_data", (string?)read["errorDeclaration"]!["reason"]);
        Assert.Equal(2, read["errorDeclaration"]!["correctiveEventIDs"]!.AsArray().Count);
        Assert.Equal([eventId], (await Epcis.QueryAsync(client, "EXISTS_errorDeclaration")).Select(e => (string?)e!["eventID"]));
    }
}
