namespace Traceability.Ingestion.FunctionalTests;

/// <summary>Issue 20: the REST binding's headers, negotiation and OPTIONS; a changed duplicate; a byte-order mark.</summary>
public sealed class EpcisProtocolTests(TraceabilityApp app) : IClassFixture<TraceabilityApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/ld+json");

    private static void AssertVersionHeaders(HttpResponseMessage response)
    {
        foreach (var header in new[] { "GS1-EPCIS-Version", "GS1-CBV-Version", "GS1-EPCIS-Min", "GS1-EPCIS-Max", "GS1-CBV-Min", "GS1-CBV-Max" })
            Assert.Equal("2.0.0", response.Headers.GetValues(header).Single());
        Assert.True(response.Headers.Contains("GS1-Extensions"));
    }

    [Fact]
    public async Task Every_epcis_answer_carries_the_version_headers_even_a_401_and_a_404()
    {
        var producer = await app.NewProducerAsync();
        AssertVersionHeaders(await producer.Client.GetAsync("/epcis/events", Ct));
        AssertVersionHeaders(await app.CreateClient().GetAsync("/epcis/events", Ct)); // 401
        AssertVersionHeaders(await producer.Client.GetAsync("/epcis/capture/nope", Ct)); // 404
        Assert.False((await producer.Client.GetAsync("/api/v1/products", Ct)).Headers.Contains("GS1-EPCIS-Version"));
    }

    [Theory]
    [InlineData("GS1-EPCIS-Version", "9.9", HttpStatusCode.NotAcceptable)]
    [InlineData("GS1-EPCIS-Version", "1.2", HttpStatusCode.NotAcceptable)]
    [InlineData("GS1-EPCIS-Version", "2.0.1", HttpStatusCode.OK)]
    [InlineData("GS1-EPCIS-Min", "2.1.0", HttpStatusCode.NotAcceptable)]
    [InlineData("GS1-EPCIS-Max", "1.2.0", HttpStatusCode.NotAcceptable)]
    [InlineData("GS1-EPCIS-Min", "2.0.0", HttpStatusCode.OK)]
    [InlineData("GS1-CBV-Version", "3.0", HttpStatusCode.NotAcceptable)]
    [InlineData("GS1-EPCIS-Min", "two", HttpStatusCode.BadRequest)]
    [InlineData("GS1-EPC-Format", "Always_EPC_URN", HttpStatusCode.NotAcceptable)]
    [InlineData("GS1-EPC-Format", "Never_Translates", HttpStatusCode.OK)]
    [InlineData("Accept", "application/xml", HttpStatusCode.OK)]
    [InlineData("Accept", "text/plain", HttpStatusCode.NotAcceptable)]
    [InlineData("GS1-CBV-XML-Format", "Always_Web_URI", HttpStatusCode.OK)]
    [InlineData("GS1-CBV-XML-Format", "Sometimes", HttpStatusCode.NotAcceptable)]
    [InlineData("Accept", "application/xml, application/json;q=0.5", HttpStatusCode.OK)]
    [InlineData("Accept", "*/*", HttpStatusCode.OK)]
    public async Task Versions_formats_and_media_types_are_negotiated(string header, string value, HttpStatusCode expected)
    {
        var producer = await app.NewProducerAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/epcis/events");
        request.Headers.TryAddWithoutValidation(header, value);
        var response = await producer.Client.SendAsync(request, Ct);
        Assert.Equal(expected, response.StatusCode);
        if (expected != HttpStatusCode.OK)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(header == "Accept" ? "application/ld+json" : value, await response.Content.ReadAsStringAsync(Ct));
        }
        AssertVersionHeaders(response);
    }

    [Fact]
    public async Task An_unknown_error_behaviour_is_refused_clearly_and_a_body_neither_JSON_nor_XML_gets_415_naming_the_accepted_types()
    {
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "P1");
        var request = new HttpRequestMessage(HttpMethod.Post, "/epcis/capture") { Content = Json(Epcis.Document([Epcis.ObjectEvent(gtin, "P1", "shipping", 0)])) };
        request.Headers.Add("GS1-Capture-Error-Behaviour", "all"); // the server's word in OPTIONS, not a client's choice
        var all = await producer.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, all.StatusCode);
        var detail = await all.Content.ReadAsStringAsync(Ct);
        Assert.Contains("rollback", detail);
        Assert.Contains("proceed", detail);

        var csv = await producer.Client.PostAsync("/epcis/capture", new StringContent("a,b", Encoding.UTF8, "text/csv"), Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, csv.StatusCode);
        var detail415 = await csv.Content.ReadAsStringAsync(Ct);
        Assert.Contains("application/ld+json", detail415);
        Assert.True(detail415.Contains("application/xml"), detail415);
    }

    private async Task<HttpResponseMessage> CaptureAsync(HttpClient client, JsonNode document, string? behaviour)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/epcis/capture") { Content = Json(document) };
        if (behaviour is not null) request.Headers.Add("GS1-Capture-Error-Behaviour", behaviour);
        return await client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task Proceed_stores_the_valid_events_and_the_job_names_each_refused_one()
    {
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "PR1");
        var other = await app.NewProducerAsync();
        var othersGtin = await other.RegisterProductAsync();
        await other.RegisterLotAsync(othersGtin, "X1");
        var badStep = Epcis.ObjectEvent(gtin, "PR1", "packing", 0);
        badStep["bizStep"] = "not-a-step";
        var duplicate = $"urn:uuid:{Guid.NewGuid()}";
        Assert.Equal(HttpStatusCode.Accepted, (await CaptureAsync(producer.Client, Epcis.Document([Epcis.ObjectEvent(gtin, "PR1", "shipping", 0, duplicate)]), null)).StatusCode);
        var document = Epcis.Document(
        [
            Epcis.ObjectEvent(gtin, "PR1", "receiving", 0),      // 0: valid
            badStep,                                              // 1: does not parse
            Epcis.ObjectEvent(gtin, "NOPE", "shipping", 0),       // 2: lot not registered
            Epcis.ObjectEvent(othersGtin, "X1", "shipping", 0),   // 3: another producer's product
            Epcis.ObjectEvent(gtin, "PR1", "packing", 0, duplicate), // 4: a stored eventID with other content
            Epcis.ObjectEvent(gtin, "PR1", "storing", 0),         // 5: valid
        ]);

        // Rollback (the default) stores none of them.
        var rolledBack = await CaptureAsync(producer.Client, document, "rollback");
        Assert.Equal(HttpStatusCode.BadRequest, rolledBack.StatusCode);
        Assert.Empty(await Epcis.QueryAsync(producer.Client, "EQ_bizStep=receiving"));

        var response = await CaptureAsync(producer.Client, document, "proceed");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        Assert.Equal("proceed", (string)job["captureErrorBehaviour"]!);
        Assert.False((bool)job["success"]!);
        Assert.False((bool)job["running"]!);
        Assert.Equal(2, (int)job["eventCount"]!);
        var errors = job["errors"]!.AsArray().Select(e => (string)e!).ToList();
        foreach (var refused in new[] { "eventList[1].bizStep", "eventList[2]", "eventList[3]", "eventList[4].eventID" })
            Assert.Contains(errors, e => e.StartsWith(refused + ":", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.StartsWith("eventList[0]", StringComparison.Ordinal) || e.StartsWith("eventList[5]", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("another producer", StringComparison.Ordinal));

        Assert.Single(await Epcis.QueryAsync(producer.Client, "EQ_bizStep=receiving"));
        Assert.Single(await Epcis.QueryAsync(producer.Client, "EQ_bizStep=storing"));
        Assert.Empty(await Epcis.QueryAsync(producer.Client, "EQ_bizStep=packing"));
        Assert.Empty(await Epcis.QueryAsync(other.Client, "EQ_bizStep=shipping&MATCH_epcClass=" + Uri.EscapeDataString($"https://id.gs1.org/01/{othersGtin}/10/X1")));
        var stored = (await producer.Client.GetFromJsonAsync<JsonObject>(response.Headers.Location, Ct))!;
        Assert.Equal("proceed", (string)stored["captureErrorBehaviour"]!);
        Assert.Equal(errors.Count, stored["errors"]!.AsArray().Count);
    }

    [Fact]
    public async Task Proceed_with_every_event_valid_succeeds_and_a_document_wrong_as_a_whole_is_still_refused()
    {
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "PR2");
        var ok = await CaptureAsync(producer.Client, Epcis.Document([Epcis.ObjectEvent(gtin, "PR2", "shipping", 0)]), "proceed");
        Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        var job = (await ok.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        Assert.True((bool)job["success"]!);
        Assert.Empty(job["errors"]!.AsArray());

        var wrong = Epcis.Document([Epcis.ObjectEvent(gtin, "PR2", "shipping", 0)]);
        wrong["type"] = "EPCISQueryDocument-ish";
        Assert.Equal(HttpStatusCode.BadRequest, (await CaptureAsync(producer.Client, wrong, "proceed")).StatusCode);
    }

    [Theory]
    [InlineData("/epcis/", "OPTIONS")]
    [InlineData("/epcis/capture", "POST, OPTIONS")]
    [InlineData("/epcis/capture/abc", "GET, OPTIONS")]
    [InlineData("/epcis/events", "GET, POST, OPTIONS")]
    [InlineData("/epcis/events/urn%3Auuid%3Ax", "GET, OPTIONS")]
    public async Task Options_on_every_resource_answers_204_with_allow_and_the_capture_limits(string path, string allow)
    {
        var response = await app.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Options, path), Ct);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
        Assert.Equal("10000", response.Headers.GetValues("GS1-EPCIS-Capture-Limit").Single());
        Assert.Equal("10485760", response.Headers.GetValues("GS1-EPCIS-Capture-File-Size-Limit").Single());
        Assert.Equal("all", response.Headers.GetValues("GS1-Capture-Error-Behaviour").Single()); // rollback and proceed
        AssertVersionHeaders(response);
    }

    [Fact]
    public async Task A_stored_event_id_with_other_content_fails_the_capture_naming_it_and_stores_nothing()
    {
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "D1");
        var id = $"urn:uuid:{Guid.NewGuid()}";
        Assert.Equal(HttpStatusCode.Accepted, (await producer.Client.PostAsync("/epcis/capture", Json(Epcis.Document([Epcis.ObjectEvent(gtin, "D1", "shipping", 0, id)])), Ct)).StatusCode);

        // The same event again is a retry: success, counted as a duplicate.
        var retry = await producer.Client.PostAsync("/epcis/capture", Json(Epcis.Document([Epcis.ObjectEvent(gtin, "D1", "shipping", 0, id)])), Ct);
        Assert.Equal(1, (int)(await producer.Client.GetFromJsonAsync<JsonObject>(retry.Headers.Location, Ct))!["duplicateCount"]!);

        var other = $"urn:uuid:{Guid.NewGuid()}";
        var changed = await producer.Client.PostAsync("/epcis/capture", Json(Epcis.Document(
            [Epcis.ObjectEvent(gtin, "D1", "receiving", 1, other), Epcis.ObjectEvent(gtin, "D1", "packing", 0, id)])), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, changed.StatusCode);
        var errors = (await changed.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject();
        Assert.Contains(id, (string)errors["eventList[1].eventID"]![0]!);
        Assert.Empty(await Epcis.QueryAsync(producer.Client, "EQ_bizStep=receiving"));

        var single = await producer.Client.PostAsync("/epcis/events", Json(Epcis.ObjectEvent(gtin, "D1", "packing", 0, id)), Ct);
        Assert.Equal(HttpStatusCode.Conflict, single.StatusCode);
    }

    [Fact]
    public async Task A_document_starting_with_a_byte_order_mark_is_captured()
    {
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "BOM");
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Epcis.Document([Epcis.ObjectEvent(gtin, "BOM", "shipping", 0)]).ToJsonString())).ToArray();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/ld+json");
        Assert.Equal(HttpStatusCode.Accepted, (await producer.Client.PostAsync("/epcis/capture", content, Ct)).StatusCode);
    }

    [Fact]
    public async Task Eq_action_eq_eventID_and_eventCountLimit_select_events()
    {
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "Q1");
        var ids = Enumerable.Range(0, 5).Select(_ => $"urn:uuid:{Guid.NewGuid()}").ToArray();
        var events = ids.Select((id, i) => Epcis.ObjectEvent(gtin, "Q1", "shipping", i, id)).ToList();
        events[0]["action"] = "ADD";
        Assert.Equal(HttpStatusCode.Accepted, (await producer.Client.PostAsync("/epcis/capture", Json(Epcis.Document(events)), Ct)).StatusCode);

        Assert.Equal([ids[0]], (await Epcis.QueryAsync(producer.Client, "EQ_action=ADD")).Select(e => (string)e!["eventID"]!));
        Assert.Equal(4, (await Epcis.QueryAsync(producer.Client, "EQ_action=OBSERVE")).Count);
        // One capture shares one record time, so its events come in eventID order (README: query order).
        Assert.Equal(new[] { ids[1], ids[3] }.Order(StringComparer.Ordinal), (await Epcis.QueryAsync(producer.Client, $"EQ_eventID={Uri.EscapeDataString(ids[1] + "|" + ids[3])}"))
            .Select(e => (string)e!["eventID"]!));
        var limited = await producer.Client.GetAsync("/epcis/events?eventCountLimit=2&perPage=1", Ct);
        Assert.False(limited.Headers.Contains("GS1-Next-Page-Token"));
        Assert.Equal(2, JsonNode.Parse(await limited.Content.ReadAsStringAsync(Ct))!["epcisBody"]!["queryResults"]!["resultsBody"]!["eventList"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.BadRequest, (await producer.Client.GetAsync("/epcis/events?EQ_action=MOVE", Ct)).StatusCode);
    }
}
