using System.Xml.Linq;

namespace Traceability.Verification.Tests;

/// <summary>Recall a lot → lookup JSON, page banner, verify, warnings (JSON + Atom) and a recall outbox row.</summary>
public sealed class RecallEndToEndTests : IAsyncLifetime
{
    private readonly VerificationApp _app = new();
    private TestProducer _producer = null!;
    private string _gtin = "";

    public async ValueTask InitializeAsync()
    {
        _producer = await _app.NewProducerAsync();
        _gtin = await _producer.ProductAsync();
        await _producer.LotAsync(_gtin, "SLC-2610-07");
        await _producer.LotAsync(_gtin, "SLC-2611-02");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<JsonObject> LookupJsonAsync(string lot)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/01/{_gtin}/10/{lot}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = await _app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    [Fact]
    public async Task A_recalled_lot_shows_as_recalled_at_once_everywhere_and_is_queued_for_the_portal()
    {
        // Looked up (and cached) before the recall: the recall must evict it.
        Assert.Equal("active", (string)(await LookupJsonAsync("SLC-2610-07"))["status"]!);

        var response = await _app.Admin().PostAsJsonAsync("/api/v1/recalls",
            new { gtin = _gtin, lots = new[] { "SLC-2610-07" }, reason = "Trộn sâm ngoài vùng trồng", severity = "high" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var recall = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = (string)recall["id"]!;
        Assert.Equal($"/api/v1/recalls/{id}", response.Headers.Location!.OriginalString);

        // Lookup JSON.
        var json = await LookupJsonAsync("SLC-2610-07");
        Assert.Equal("recalled", (string)json["status"]!);
        Assert.Equal("Trộn sâm ngoài vùng trồng", (string)json["recall"]!["reason"]!);
        Assert.Equal("high", (string)json["recall"]!["severity"]!);
        Assert.Equal("active", (string)(await LookupJsonAsync("SLC-2611-02"))["status"]!);

        // Page banner.
        using var page = new HttpRequestMessage(HttpMethod.Get, $"/01/{_gtin}/10/SLC-2610-07");
        page.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        var html = await (await _app.CreateClient().SendAsync(page)).Content.ReadAsStringAsync();
        Assert.Contains("banner red", html);
        Assert.Contains("ĐÃ BỊ THU HỒI", html);
        Assert.Contains("Trộn sâm ngoài vùng trồng", html);

        // Verify.
        Assert.Equal("recalled", (await _app.CreateClient().VerifyAsync($"(01){_gtin}(10)SLC-2610-07")).Verdict());

        // Warnings feed, JSON.
        var feed = (await _app.CreateClient().GetFromJsonAsync<JsonObject>("/api/v1/warnings"))!;
        var warning = feed["warnings"]!.AsArray().Single(w => (string)w!["id"]! == id)!;
        Assert.Equal("recall", (string)warning["kind"]!);
        Assert.Equal("Sâm Lai Châu", (string)warning["productName"]!);
        Assert.Equal($"{VerificationApp.BaseUrl}/01/{_gtin}/10/SLC-2610-07", (string)warning["lots"]![0]!["digitalLink"]!);
        Assert.Null(feed["alerts"]);

        // Warnings feed, Atom.
        using var atomRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/warnings");
        atomRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/atom+xml"));
        var atomResponse = await _app.CreateClient().SendAsync(atomRequest);
        Assert.Equal("application/atom+xml", atomResponse.Content.Headers.ContentType!.MediaType);
        var atom = XDocument.Parse(await atomResponse.Content.ReadAsStringAsync());
        XNamespace a = "http://www.w3.org/2005/Atom";
        var entry = atom.Root!.Elements(a + "entry").Single(e => e.Element(a + "id")!.Value.EndsWith(id, StringComparison.Ordinal));
        Assert.Equal("Trộn sâm ngoài vùng trồng", entry.Element(a + "summary")!.Value);
        Assert.Contains("SLC-2610-07", entry.Element(a + "title")!.Value);
        Assert.Equal("high", entry.Element(a + "category")!.Attribute("term")!.Value);

        // One outbox row per lot, after the lot's own row.
        var lotKey = LotKey.Of(_gtin, "SLC-2610-07");
        var row = await _app.Service<IOutboxStore>().GetOutboxRowAsync(OutboxKind.Recall, RecallKeys.OutboxKey(id, lotKey));
        Assert.NotNull(row);
        Assert.Equal(OutboxState.Pending, row.State);
        Assert.Equal(OutboxKind.Lot, row.DependsOnKind);
        Assert.Equal(lotKey, row.DependsOnKey);
        var stored = await _app.Service<IRecallStore>().GetRecallAsync(id);
        Assert.Equal(["SLC-2610-07"], stored!.Lots);
        Assert.Equal("admin", stored.IssuedBy);
    }

    [Fact]
    public async Task Ending_a_recall_returns_its_lot_to_active_on_the_lookup_page_verify_and_the_warnings_feed()
    {
        var response = await _app.Admin().PostAsJsonAsync("/api/v1/recalls",
            new { gtin = _gtin, lots = new[] { "SLC-2611-02" }, reason = "Nghi nhiễm khuẩn", severity = "medium" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        // Looked up (and cached) while recalled: ending it must evict that too.
        Assert.Equal("recalled", (string)(await LookupJsonAsync("SLC-2611-02"))["status"]!);
        Assert.Equal("recalled", (await _app.CreateClient().VerifyAsync($"(01){_gtin}(10)SLC-2611-02")).Verdict());

        // A reason is required; the owning producer may not end the authority's recall.
        var noReason = await _app.Admin().PostAsJsonAsync($"/api/v1/recalls/{id}/end", new { reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.NotNull((await noReason.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["reason"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await _producer.Client.PostAsJsonAsync($"/api/v1/recalls/{id}/end", new { reason = "Xong" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _app.Admin().PostAsJsonAsync("/api/v1/recalls/rc-nope/end", new { reason = "Xong" })).StatusCode);
        _app.Time.Advance(TimeSpan.FromMinutes(5)); // the end comes after the issue (the clock is fake and still)

        var ended = await _app.Admin().PostAsJsonAsync($"/api/v1/recalls/{id}/end", new { reason = "Kết quả kiểm nghiệm đạt" });
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        var body = (await ended.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("ended", "Kết quả kiểm nghiệm đạt"), ((string)body["status"]!, (string)body["endReason"]!));
        Assert.Equal(HttpStatusCode.Conflict, (await _app.Admin().PostAsJsonAsync($"/api/v1/recalls/{id}/end", new { reason = "Lần hai" })).StatusCode);

        var json = await LookupJsonAsync("SLC-2611-02");
        Assert.Equal("active", (string)json["status"]!);
        Assert.Null(json["recall"]);
        using var page = new HttpRequestMessage(HttpMethod.Get, $"/01/{_gtin}/10/SLC-2611-02");
        page.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        Assert.DoesNotContain("ĐÃ BỊ THU HỒI", await (await _app.CreateClient().SendAsync(page)).Content.ReadAsStringAsync());
        Assert.NotEqual("recalled", (await _app.CreateClient().VerifyAsync($"(01){_gtin}(10)SLC-2611-02")).Verdict());
        var feed = (await _app.CreateClient().GetFromJsonAsync<JsonObject>("/api/v1/warnings"))!;
        Assert.DoesNotContain(feed["warnings"]!.AsArray(), w => (string)w!["id"]! == id);
        var atom = await _app.CreateClient().GetStringAsync("/api/v1/warnings?format=atom");
        Assert.DoesNotContain(id, atom);
        var stored = (await _app.CreateClient().GetFromJsonAsync<JsonObject>($"/api/v1/recalls/{id}"))!;
        Assert.Equal("ended", (string)stored["status"]!);

        // Both the issue and the end are in the audit log, with why.
        var audit = await _app.Service<IAuditStore>().ListAuditAsync("recall:" + id, 10);
        Assert.Equal(["recall.end", "recall.issue"], audit.Select(e => e.Action));
        Assert.Equal("Kết quả kiểm nghiệm đạt", audit[0].Reason);
    }

    [Fact]
    public async Task The_producer_ends_its_own_recall()
    {
        var response = await _producer.RecallAsync(_gtin, ["SLC-2610-07"], "low");
        var id = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var other = await _app.NewProducerAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await other.Client.PostAsJsonAsync($"/api/v1/recalls/{id}/end", new { reason = "Không phải của tôi" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _producer.Client.PostAsJsonAsync($"/api/v1/recalls/{id}/end", new { reason = "Đã thu gom" })).StatusCode);
        Assert.Equal("active", (string)(await LookupJsonAsync("SLC-2610-07"))["status"]!);
    }

    [Fact]
    public async Task The_owning_producer_can_recall_several_lots_with_one_outbox_row_each()
    {
        var response = await _producer.RecallAsync(_gtin, ["SLC-2610-07", "SLC-2611-02", "SLC-2610-07"], "low");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var outbox = _app.Service<IOutboxStore>();
        foreach (var lot in new[] { "SLC-2610-07", "SLC-2611-02" })
        {
            Assert.NotNull(await outbox.GetOutboxRowAsync(OutboxKind.Recall, RecallKeys.OutboxKey(id, LotKey.Of(_gtin, lot))));
            Assert.Equal("recalled", (string)(await LookupJsonAsync(lot))["status"]!);
        }
        Assert.Equal(2, (await _app.Service<IRecallStore>().GetRecallAsync(id))!.Lots.Count);
    }

    [Fact]
    public async Task Another_producer_may_not_recall_the_lot()
    {
        var other = await _app.NewProducerAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await other.RecallAsync(_gtin, ["SLC-2610-07"])).StatusCode);
        Assert.Equal("active", (string)(await LookupJsonAsync("SLC-2610-07"))["status"]!);
    }

    [Fact]
    public async Task Recalls_need_a_key_and_an_inspector_key_is_not_enough()
    {
        var body = new { gtin = _gtin, lots = new[] { "SLC-2610-07" }, reason = "x", severity = "high" };
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.CreateClient().PostAsJsonAsync("/api/v1/recalls", body)).StatusCode);
        var inspector = _app.ClientWithKey(await _app.NewInspectorKeyAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.PostAsJsonAsync("/api/v1/recalls", body)).StatusCode);
    }

    [Fact]
    public async Task A_bad_recall_names_each_wrong_field()
    {
        var response = await _app.Admin().PostAsJsonAsync("/api/v1/recalls",
            new { gtin = _gtin, lots = new[] { "SLC-2610-07", "NOT-REGISTERED" }, reason = "Lý do", severity = "urgent" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("severity"));

        response = await _app.Admin().PostAsJsonAsync("/api/v1/recalls",
            new { gtin = _gtin, lots = new[] { "SLC-2610-07", "NOT-REGISTERED" }, reason = "Lý do", severity = "high" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(["lots[1]"], errors.Select(e => e.Key));
        Assert.Equal("active", (string)(await LookupJsonAsync("SLC-2610-07"))["status"]!);
    }
}
