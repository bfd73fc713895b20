namespace Traceability.Ingestion.FunctionalTests;

/// <summary>Issue 20 point 6: EPCIS named queries (POST/GET/DELETE /epcis/queries, GET /epcis/queries/{name}/events).</summary>
public sealed class NamedQueryTests(TraceabilityApp app) : IClassFixture<TraceabilityApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task<TestProducer> ProducerWithEventsAsync(TraceabilityApp app)
    {
        var producer = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();
        await producer.RegisterLotAsync(gtin, "NQ1");
        var document = Epcis.Document(Enumerable.Range(0, 5).Select(i => Epcis.ObjectEvent(gtin, "NQ1", i % 2 == 0 ? "shipping" : "receiving", i)));
        var captured = await producer.Client.PostAsync("/epcis/capture", new StringContent(document.ToJsonString(), Encoding.UTF8, "application/ld+json"), Ct);
        Assert.True(captured.StatusCode == HttpStatusCode.Accepted, await captured.Content.ReadAsStringAsync(Ct));
        return producer;
    }

    private static JsonObject Definition(string name, JsonObject query) => new() { ["name"] = name, ["query"] = query };

    [Fact]
    public async Task A_saved_query_runs_paged_and_can_be_listed_read_and_deleted()
    {
        var producer = await ProducerWithEventsAsync(app);
        var created = await producer.Client.PostAsync("/epcis/queries",
            Json(Definition("shipped", new JsonObject { ["eventType"] = new JsonArray("ObjectEvent"), ["EQ_bizStep"] = new JsonArray("shipping") })), Ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Ct));
        Assert.Equal("/epcis/queries/shipped", created.Headers.Location!.OriginalString);
        Assert.Equal("2.0.0", created.Headers.GetValues("GS1-EPCIS-Version").Single());

        // Three shipping events of five, two per page, the next page named by the Link header.
        var first = await producer.Client.GetAsync("/epcis/queries/shipped/events?perPage=2", Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var page = Events(await first.Content.ReadAsStringAsync(Ct));
        Assert.Equal(2, page.Count);
        Assert.All(page, e => Assert.Equal("shipping", (string)e!["bizStep"]!));
        var next = first.Headers.GetValues("Link").Single();
        Assert.StartsWith("</epcis/queries/shipped/events?", next);
        var second = await producer.Client.GetAsync(next[1..next.IndexOf('>')], Ct);
        Assert.Single(Events(await second.Content.ReadAsStringAsync(Ct)));

        var list = (await producer.Client.GetFromJsonAsync<JsonArray>("/epcis/queries", Ct))!;
        Assert.Equal("shipped", (string)list.Single()!["name"]!);
        Assert.Equal("shipping", (string)list.Single()!["query"]!["EQ_bizStep"]![0]!);
        var one = (await producer.Client.GetFromJsonAsync<JsonObject>("/epcis/queries/shipped", Ct))!;
        Assert.Equal("ObjectEvent", (string)one["query"]!["eventType"]![0]!);

        var again = await producer.Client.PostAsync("/epcis/queries", Json(Definition("shipped", new JsonObject())), Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await producer.Client.DeleteAsync("/epcis/queries/shipped", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await producer.Client.GetAsync("/epcis/queries/shipped/events", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await producer.Client.DeleteAsync("/epcis/queries/shipped", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_producers_queries_are_its_own_and_see_only_its_events()
    {
        var owner = await ProducerWithEventsAsync(app);
        var other = await ProducerWithEventsAsync(app);
        Assert.Equal(HttpStatusCode.Created, (await owner.Client.PostAsync("/epcis/queries", Json(Definition("all", new JsonObject())), Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync("/epcis/queries/all", Ct)).StatusCode);
        Assert.Empty((await other.Client.GetFromJsonAsync<JsonArray>("/epcis/queries", Ct))!);
        // The same name in another namespace is another query.
        Assert.Equal(HttpStatusCode.Created, (await other.Client.PostAsync("/epcis/queries", Json(Definition("all", new JsonObject())), Ct)).StatusCode);

        var events = Events(await (await owner.Client.GetAsync("/epcis/queries/all/events", Ct)).Content.ReadAsStringAsync(Ct));
        Assert.Equal(5, events.Count);
        var mine = (await Epcis.QueryAsync(owner.Client, "")).Select(e => (string)e!["eventID"]!).ToHashSet();
        Assert.All(events, e => Assert.Contains((string)e!["eventID"]!, mine));
    }

    [Theory]
    [InlineData("""{"name": "bad name", "query": {}}""", "name")]
    [InlineData("""{"query": {}}""", "name")]
    [InlineData("""{"name": "q"}""", "query")]
    [InlineData("""{"name": "q", "query": {"EQ_bizStep": ["not_a_step"]}}""", "query.EQ_bizStep")]
    [InlineData("""{"name": "q", "query": {"GE_eventTime": "yesterday"}}""", "query.GE_eventTime")]
    [InlineData("""{"name": "q", "query": {"EQ_bizStep": {"x": 1}}}""", "query.EQ_bizStep")]
    [InlineData("""{"name": "q", "query": {"perPage": 5}}""", "query.perPage")]
    [InlineData("""{"name": "q", "query": {"EQ_shoeSize": 5}}""", "query.EQ_shoeSize")]
    [InlineData("""{"name": "q", "query": {"EQ_quantity": "five"}}""", "query.EQ_quantity")]
    [InlineData("""{"name": "q", "query": {"EQ_stringValue": true}}""", "query.EQ_stringValue")]
    [InlineData("""{"name": "q", "query": {"@context": 5}}""", "query.@context")]
    public async Task A_wrong_definition_is_refused_with_the_field_path(string body, string field)
    {
        var producer = await app.NewProducerAsync();
        var response = await producer.Client.PostAsync("/epcis/queries", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {text}");
        Assert.Contains($"\"{field}\"", text);
    }

    [Fact]
    public async Task Parameters_beyond_paging_are_refused_clearly()
    {
        var producer = await ProducerWithEventsAsync(app);
        Assert.Equal(HttpStatusCode.Created, (await producer.Client.PostAsync("/epcis/queries", Json(Definition("q", new JsonObject())), Ct)).StatusCode);

        var extra = await producer.Client.GetAsync("/epcis/queries/q/events?EQ_bizStep=shipping", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, extra.StatusCode);
        Assert.Contains("EQ_bizStep", await extra.Content.ReadAsStringAsync(Ct));
        // stream works over a WebSocket only (SubscriptionTests); a plain GET asking for it is told so.
        var stream = await producer.Client.GetAsync("/epcis/queries/q/events?stream=true", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, stream.StatusCode);
        Assert.Contains("WebSocket", await stream.Content.ReadAsStringAsync(Ct));

        using var options = new HttpRequestMessage(HttpMethod.Options, "/epcis/queries");
        var allowed = await app.CreateClient().SendAsync(options, Ct);
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal("GET, POST, OPTIONS", string.Join(", ", allowed.Content.Headers.Allow));
    }

    [Fact]
    public async Task Without_a_key_the_queries_are_closed()
    {
        var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/epcis/queries", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/epcis/queries", Json(Definition("q", new JsonObject())), Ct)).StatusCode);
    }

    private static JsonArray Events(string queryDocument) =>
        JsonNode.Parse(queryDocument)!["epcisBody"]!["queryResults"]!["resultsBody"]!["eventList"]!.AsArray();
}
