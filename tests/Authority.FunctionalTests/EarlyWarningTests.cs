using Traceability.Domain.EarlyWarning;
using Traceability.Domain;

namespace Traceability.Authority.FunctionalTests;

/// <summary>
/// The early warning (issue 19): each signal fires on a minimal case and stays quiet on its decoy;
/// alerts survive a restart; the life cycle and who may see and change what. Scans are fed as the
/// scan log writer feeds them (stored, then observed), so the tests do not wait for its timer; one
/// test goes through the public lookup and the writer end to end.
/// </summary>
public sealed class EarlyWarningTests(AuthorityApp app) : IClassFixture<AuthorityApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DateTimeOffset Now => DateTimeOffset.UtcNow;

    [Fact]
    public async Task Unknown_codes_of_a_real_GTIN_clustered_in_one_province_raise_an_alert_through_the_public_lookup()
    {
        var producer = await app.NewProducerAsync("HTX Chè Shan Tuyết");
        var gtin = await producer.RegisterProductAsync("Chè Shan Tuyết");
        var client = app.CreateClient();
        // Decoys first (the writer keeps order): an unregistered GTIN scanned often, and the real one scanned once elsewhere.
        for (var i = 0; i < 8; i++) await client.GetAsync($"/01/08930000000019/10/FAKE-{i}?province=Lai%20Ch%C3%A2u", Ct);
        await client.GetAsync($"/01/{gtin}/10/NOPE-X?province=C%C3%A0%20Mau", Ct);
        for (var i = 0; i < 6; i++) await client.GetAsync($"/01/{gtin}/10/GIA-{i}?province=Lai%20Ch%C3%A2u", Ct);

        var alert = await EventuallyAsync(async () => (await AlertsAsync($"kind=unknown_codes&province=Lai%20Ch%C3%A2u")).FirstOrDefault(a => (string)a!["gtin"]! == gtin));
        Assert.Equal("open", (string)alert["status"]!);
        Assert.Equal(6, (long)alert["count"]!);
        Assert.Equal(producer.Id, (string)alert["producerId"]!);
        Assert.True((double)alert["score"]! >= 4);
        var vi = (string)alert["reason"]!["vi"]!;
        Assert.Contains($"6 lượt tra cứu mã không tồn tại", vi);
        Assert.Contains("Lai Châu", vi);
        Assert.Contains("bình thường: 0/ngày", vi);
        Assert.Contains("6 lookups of codes never issued", (string)alert["reason"]!["en"]!);
        var all = await AlertsAsync("kind=unknown_codes&perPage=200");
        Assert.DoesNotContain(all, a => (string)a!["gtin"]! == "08930000000019");
        Assert.DoesNotContain(all, a => (string)a!["gtin"]! == gtin && (string?)a["province"] == "Cà Mau");
    }

    [Fact]
    public async Task Lookups_far_from_every_shipping_destination_fire_and_lookups_where_it_was_shipped_do_not()
    {
        var producer = await app.NewProducerAsync("HTX Cam Hàm Yên");
        var gtin = await producer.RegisterProductAsync("Cam sành");
        await producer.RegisterLotAsync(gtin, "F-01");
        await producer.RegisterLocationAsync("KHO", "Kho Hàm Yên", "Tuyên Quang");
        await producer.RegisterLocationAsync("CH-HN", "Cửa hàng Đống Đa", "Hà Nội");
        await producer.CaptureAsync(Shipping(gtin, "F-01", $"urn:x-traceability:loc:{producer.Id}:KHO", $"urn:x-traceability:loc:{producer.Id}:CH-HN"));

        await FeedAsync([.. Enumerable.Range(0, 20).Select(i => Scan(gtin, "F-01", "Hà Nội", $"hn-{i}"))]);
        await FeedAsync([.. Enumerable.Range(0, 6).Select(i => Scan(gtin, "F-01", "Cà Mau", $"cm-{i}"))]);

        var alerts = await AlertsAsync($"kind=far_from_shipping&producer={producer.Id}");
        var alert = Assert.Single(alerts)!;
        Assert.Equal("Cà Mau", (string)alert["province"]!);
        Assert.Equal("F-01", (string)alert["lot"]!);
        Assert.Contains("Hà Nội", (string)alert["reason"]!["vi"]!);
        // Twenty lookups where it was shipped, on its first day: no surge either (no history to surge against).
        Assert.Empty(await AlertsAsync($"kind=lookup_surge&producer={producer.Id}"));
    }

    /// <summary>
    /// A newly seen lot's facts come from its lookup projection (one indexed read) when it has a current
    /// row: they must be the facts its whole history gives — here shipped to two provinces, recalled,
    /// and the input of a transformation.
    /// </summary>
    [Fact]
    public async Task A_lots_facts_from_its_lookup_projection_equal_the_facts_from_its_history()
    {
        var producer = await app.NewProducerAsync("HTX Chè Tân Cương");
        var gtin = await producer.RegisterProductAsync("Chè móc câu");
        await producer.RegisterLotAsync(gtin, "PV-01");
        await producer.RegisterLotAsync(gtin, "PV-02");
        await producer.RegisterLocationAsync("KHO", "Kho Tân Cương", "Thái Nguyên");
        await producer.RegisterLocationAsync("CH-HN", "Cửa hàng Đống Đa", "Hà Nội");
        await producer.RegisterLocationAsync("CH-CM", "Cửa hàng Cà Mau", "Cà Mau");
        string Loc(string code) => $"urn:x-traceability:loc:{producer.Id}:{code}";
        var transformation = new JsonObject
        {
            ["type"] = "TransformationEvent",
            ["eventTime"] = "2026-11-01T08:00:00+07:00",
            ["eventTimeZoneOffset"] = "+07:00",
            ["bizStep"] = "commissioning",
            ["bizLocation"] = new JsonObject { ["id"] = Loc("KHO") },
            ["inputQuantityList"] = new JsonArray(new JsonObject { ["epcClass"] = $"https://id.gs1.org/01/{gtin}/10/PV-01", ["quantity"] = 10 }),
            ["outputQuantityList"] = new JsonArray(new JsonObject { ["epcClass"] = $"https://id.gs1.org/01/{gtin}/10/PV-02", ["quantity"] = 10 }),
        };
        await producer.CaptureAsync(Shipping(gtin, "PV-01", Loc("KHO"), Loc("CH-HN")), Shipping(gtin, "PV-01", Loc("KHO"), Loc("CH-CM")), transformation);
        Assert.Equal(HttpStatusCode.Created, (await producer.Client.PostAsJsonAsync("/api/v1/recalls",
            new { gtin, lots = new[] { "PV-01" }, reason = "Dư lượng thuốc trừ sâu", severity = "high" }, Ct)).StatusCode);

        // A consumer's lookup builds the lot's projection and stores it (write-behind).
        var facts = app.Services.GetRequiredService<CaseFacts>();
        var key = LotKey.Of(gtin, "PV-01");
        LotFacts? fromView = null;
        for (var i = 0; i < 100 && fromView is null; i++)
        {
            if (i % 10 == 0) Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync($"/01/{gtin}/10/PV-01", Ct)).StatusCode);
            fromView = await facts.ReadLotFromProjectionAsync(gtin, "PV-01", key, Ct);
            if (fromView is null) await Task.Delay(100, Ct);
        }
        var fromHistory = await facts.ReadLotFromHistoryAsync(gtin, "PV-01", Ct);

        Assert.NotNull(fromView);
        Assert.NotNull(fromHistory);
        Assert.Equal(["Cà Mau", "Hà Nội"], fromHistory.ShippedTo.Order(StringComparer.Ordinal));
        Assert.Equal(fromHistory.ShippedTo.Order(StringComparer.Ordinal), fromView.ShippedTo.Order(StringComparer.Ordinal));
        Assert.Equal(fromHistory.Expected.Order(StringComparer.Ordinal), fromView.Expected.Order(StringComparer.Ordinal));
        Assert.Contains("Hà Nội", fromView.Expected);
        Assert.NotNull(fromHistory.RecalledAt);
        Assert.Equal(fromHistory.RecalledAt, fromView.RecalledAt);
        Assert.Equal(fromHistory.Expiry, fromView.Expiry);
        Assert.Equal(producer.Id, fromView.ProducerId);
        Assert.Equal(fromHistory.ProducerId, fromView.ProducerId);
    }

    [Fact]
    public async Task A_recalled_lot_still_scanned_fires_and_a_lot_of_the_same_product_that_is_not_recalled_does_not()
    {
        var producer = await app.NewProducerAsync("Cơ sở Sâm Lai Châu");
        var gtin = await producer.RegisterProductAsync("Sâm");
        await producer.RegisterLotAsync(gtin, "R-01");
        await producer.RegisterLotAsync(gtin, "OK-01");
        Assert.Equal(HttpStatusCode.Created, (await producer.Client.PostAsJsonAsync("/api/v1/recalls",
            new { gtin, lots = new[] { "R-01" }, reason = "Nhiễm khuẩn", severity = "high" }, Ct)).StatusCode);

        await FeedAsync([.. Enumerable.Range(0, 10).Select(i => Scan(gtin, "OK-01", "Lai Châu", $"ok-{i}"))]);
        await FeedAsync([.. Enumerable.Range(0, 3).Select(i => Scan(gtin, "R-01", "Lai Châu", $"r-{i}"))]);

        var alert = Assert.Single(await AlertsAsync($"kind=after_recall&producer={producer.Id}"))!;
        Assert.Equal("R-01", (string)alert["lot"]!);
        Assert.Contains("sau khi lô bị thu hồi", (string)alert["reason"]!["vi"]!);
    }

    [Fact]
    public async Task An_expired_lot_still_scanned_fires_and_a_fresh_lot_does_not()
    {
        var producer = await app.NewProducerAsync("HTX Mật ong");
        var gtin = await producer.RegisterProductAsync("Mật ong");
        var today = VietnamTime.Today(Now);
        Assert.Equal(HttpStatusCode.Created, (await producer.Client.PostAsJsonAsync("/api/v1/lots",
            new { gtin, lot = "OLD", expiryDate = today.AddDays(-20).ToString("yyyy-MM-dd") }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await producer.Client.PostAsJsonAsync("/api/v1/lots",
            new { gtin, lot = "NEW", expiryDate = today.AddDays(200).ToString("yyyy-MM-dd") }, Ct)).StatusCode);

        await FeedAsync([.. Enumerable.Range(0, 10).Select(i => Scan(gtin, "NEW", "Tuyên Quang", $"n-{i}"))]);
        await FeedAsync([.. Enumerable.Range(0, 6).Select(i => Scan(gtin, "OLD", "Tuyên Quang", $"o-{i}"))]);

        var alert = Assert.Single(await AlertsAsync($"kind=after_expiry&producer={producer.Id}"))!;
        Assert.Equal("OLD", (string)alert["lot"]!);
    }

    [Fact]
    public async Task A_surge_of_lookups_against_its_own_history_fires_and_a_usual_day_or_a_product_without_history_does_not()
    {
        var producer = await app.NewProducerAsync("Công ty Nước mắm");
        var surging = await producer.RegisterProductAsync("Nước mắm 40 độ");
        var usual = await producer.RegisterProductAsync("Nước mắm 30 độ");
        var fresh = await producer.RegisterProductAsync("Nước mắm mới");
        var popular = await producer.RegisterProductAsync("Nước mắm quà Tết");
        var today = VietnamTime.Today(Now);
        var store = app.Services.GetRequiredService<IEarlyWarningStore>();
        // Four weeks of 8–12 lookups a day in Hải Phòng for all but the fresh product.
        foreach (var gtin in new[] { surging, usual, popular })
            await store.AddSignalCountsAsync([.. Enumerable.Range(1, 28).Select(d =>
                new SignalCount(AlertKinds.LookupSurge.Signal, gtin, "", "Hải Phòng", today.AddDays(-d), 8 + d % 5))], Ct);
        // A surge is a risk only beside a risk signal: one code never issued of the surging product there today.
        await FeedAsync([new ScanRecord(Now, LotKey.Of(surging, "GIA"), null, "Hải Phòng", "mobile", "g-1", Unknown: true)]);

        await FeedAsync([.. Enumerable.Range(0, 13).Select(i => Scan(usual, "L1", "Hải Phòng", $"u-{i}"))]);
        await FeedAsync([.. Enumerable.Range(0, 80).Select(i => Scan(fresh, "L1", "Hải Phòng", $"f-{i}"))]);
        await FeedAsync([.. Enumerable.Range(0, 60).Select(i => Scan(surging, "L1", "Hải Phòng", $"s-{i}"))]);
        // The decoy: as popular (60 lookups), but nothing else wrong with it — popularity, not a risk.
        await FeedAsync([.. Enumerable.Range(0, 60).Select(i => Scan(popular, "L1", "Hải Phòng", $"p-{i}"))]);

        var alert = Assert.Single(await AlertsAsync($"kind=lookup_surge&producer={producer.Id}"))!;
        Assert.Equal(surging, (string)alert["gtin"]!);
        Assert.Equal(60, (long)alert["count"]!);
        Assert.Contains("bình thường: 8–12/ngày", (string)alert["reason"]!["vi"]!);
    }

    [Fact]
    public void A_rise_every_similar_product_shares_is_no_surge_and_a_new_product_borrows_its_peers_baseline()
    {
        var usual = History.Of([.. Enumerable.Range(1, 28).Select(d => (long)(8 + d % 5))]);
        // 40 lookups against 8–12 a day: a surge on its own history…
        Assert.True(Scoring.Score(AlertKinds.LookupSurge, 40, usual, 28).Score >= 4);
        // …but not when its peers (median of their rises, a new peer's launch ignored) are up fourfold today (Tết).
        var tet = Peers.RiseOf([(40, 10), (44, 11), (36, 9), (500, 0)]);
        Assert.Equal(4, tet, 1);
        Assert.Equal(0, Scoring.Score(AlertKinds.LookupSurge, 40, usual, 28, new Peers(4, usual, 28, tet)).Score);
        // One peer's own incident does not explain another's rise.
        Assert.Equal(1, Peers.RiseOf([(10, 10), (11, 11), (300, 9)]));
        // A product without a history of its own: no surge alone, measured against its peers' typical day with them.
        Assert.Equal(0, Scoring.Score(AlertKinds.LookupSurge, 40, History.Empty, 0).Score);
        var borrowed = Scoring.Score(AlertKinds.LookupSurge, 40, History.Empty, 0, new Peers(3, usual, 28, 1));
        Assert.True(borrowed.Borrowed);
        Assert.True(borrowed.Score >= 4);
        Assert.Equal(0, Scoring.Score(AlertKinds.LookupSurge, 12, History.Empty, 0, new Peers(3, usual, 28, 1)).Score);
    }

    [Fact]
    public void A_count_so_far_today_is_measured_against_the_part_of_the_day_gone()
    {
        var day = new DateOnly(2027, 1, 5);
        Assert.Equal(0.25, Scoring.DayFraction(VietnamTime.StartOf(day).AddHours(1), day));
        Assert.Equal(0.5, Scoring.DayFraction(VietnamTime.StartOf(day).AddHours(12), day));
        Assert.Equal(1, Scoring.DayFraction(VietnamTime.StartOf(day).AddDays(3), day));
        // Four codes never issued by noon are an alert; the same four over a whole day are not.
        Assert.True(Scoring.Score(AlertKinds.UnknownCodes, 4, History.Empty, 0, dayFraction: 0.5).Score >= 4);
        Assert.True(Scoring.Score(AlertKinds.UnknownCodes, 4, History.Empty, 0).Score < 4);
    }

    [Fact]
    public async Task The_scenario_generators_incidents_are_found_and_its_decoys_stay_quiet()
    {
        // Two simulated weeks of one province (seed 1) through the engine: the small version of the
        // benchmark's early-warning-eval, so a scoring regression fails here (this seed: one lookup
        // surge of the social-media lot, corroborated by a stray code the same day).
        var result = await EarlyWarningSimulation.RunAsync(seed: 1, days: 14, ct: Ct);
        // The expired lot is the slow one (the after-expiry floor of 0.3 a day needs five lookups in a day at its one shop): at most it may be missed.
        Assert.All(result.Incidents.Where(i => i.Name != "expired lot still on sale"), i => Assert.True(i.Found, $"{i.Name} was not found"));
        // The targets: fewer than 2 false alarms a week on decoy traffic (a surge corroborated by a stray typo happens), precision@10 ≥ 0.8.
        Assert.True(result.DecoyFalseAlarms / result.Weeks < 2, string.Join("; ", result.Decoys.Select(d => $"{d.Name}: {d.Alerts}")));
        Assert.True(result.OtherFalseAlarms / result.Weeks < 2, "false alarms: " +
            string.Join("; ", result.Ranked.Where(a => a.Incident is null && a.Decoy is null).Select(a => a.Alert.ReasonEn)));
        Assert.True(result.PrecisionAt(10) >= 0.8, $"precision@10 {result.PrecisionAt(10):F2}");
    }

    [Fact]
    public async Task A_surge_of_complaints_fires_and_a_single_complaint_does_not()
    {
        var producer = await app.NewProducerAsync("Cơ sở Bánh cốm");
        var many = await producer.RegisterProductAsync("Bánh cốm");
        var one = await producer.RegisterProductAsync("Bánh đậu xanh");
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/reports",
            new { code = $"/01/{one}/10/B1", category = "quality", message = "Bánh bị mốc" }, Ct)).StatusCode);
        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/reports",
                new { code = $"/01/{many}/10/B{i}", category = "counterfeit", message = "Tem lạ", contact = "0912 000 111" }, Ct)).StatusCode);

        var alert = Assert.Single(await AlertsAsync($"kind=complaint_surge&producer={producer.Id}"))!;
        Assert.Equal(many, (string)alert["gtin"]!);
        Assert.Equal(4, (long)alert["count"]!);
        Assert.DoesNotContain("0912", alert.ToJsonString());
    }

    [Fact]
    public async Task Serials_copied_to_many_clients_fire_and_a_shop_scanning_its_own_stock_does_not()
    {
        var producer = await app.NewProducerAsync("Công ty Rượu");
        var gtin = await producer.RegisterProductAsync("Rượu ngô");
        // The decoy: one shop's device scans 100 different serials (its own stock), some twice.
        await FeedAsync([.. Enumerable.Range(0, 100).Select(i => Scan(gtin, "SHOP", "Hà Giang", "shop-device", serial: $"S{i}"))]);
        await FeedAsync([.. Enumerable.Range(0, 30).Select(i => Scan(gtin, "SHOP", "Hà Giang", "shop-device", serial: $"S{i}"))]);
        // Three serials each looked up by 25 different phones: copies of three labels.
        foreach (var serial in new[] { "C1", "C2", "C3" })
            await FeedAsync([.. Enumerable.Range(0, 25).Select(i => Scan(gtin, "CLONE", "Lạng Sơn", $"{serial}-phone-{i}", serial: serial))]);

        var alert = Assert.Single(await AlertsAsync($"kind=clone_serials&producer={producer.Id}"))!;
        Assert.Equal("CLONE", (string)alert["lot"]!);
        Assert.Equal(3, (long)alert["count"]!);
    }

    [Fact]
    public async Task Inspections_with_violations_fire_and_compliant_ones_do_not()
    {
        var producer = await app.NewProducerAsync("Cơ sở Giò chả");
        var bad = await producer.RegisterProductAsync("Giò lụa");
        var good = await producer.RegisterProductAsync("Chả quế");
        var (inspector, _) = await app.NewInspectorAsync("Trần Văn Kiểm");
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Created, (await inspector.PostAsJsonAsync("/api/v1/inspections",
                new { code = $"/01/{good}/10/G{i}", result = "compliant", latitude = 21.03, longitude = 105.85 }, Ct)).StatusCode);
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Created, (await inspector.PostAsJsonAsync("/api/v1/inspections",
                new { code = $"/01/{bad}/10/V{i}", result = i == 0 ? "seized" : "violation", latitude = 21.03, longitude = 105.85 }, Ct)).StatusCode);

        var alert = Assert.Single(await AlertsAsync($"kind=inspection_violations&producer={producer.Id}"))!;
        Assert.Equal(bad, (string)alert["gtin"]!);
        Assert.Equal("Hà Nội", (string)alert["province"]!);
    }

    [Fact]
    public async Task Staff_acknowledge_then_close_with_an_outcome_audited_viewers_cannot_and_bad_moves_name_their_field()
    {
        var (id, _) = await RecalledLotAlertAsync("Cơ sở Miến dong");
        var officer = app.ClientWithKey((await app.CreateStaffAsync("officer", "Phạm Thị Cán Bộ")).ApiKey);
        var viewer = app.ClientWithKey((await app.CreateStaffAsync("viewer")).ApiKey);

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/v1/alerts/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PatchAsJsonAsync($"/api/v1/alerts/{id}", new { status = "acknowledged" }, Ct)).StatusCode);
        await AssertInvalidAsync(officer, id, new { status = "resolved" }, "status");
        await AssertInvalidAsync(officer, id, new { status = "closed" }, "outcome");
        await AssertInvalidAsync(officer, id, new { status = "closed", outcome = "maybe" }, "outcome");
        await AssertInvalidAsync(officer, id, new { status = "acknowledged", outcome = "false_alarm" }, "outcome");
        Assert.Equal(HttpStatusCode.NotFound, (await officer.PatchAsJsonAsync("/api/v1/alerts/ew-nope", new { status = "acknowledged" }, Ct)).StatusCode);

        var ack = await officer.PatchAsJsonAsync($"/api/v1/alerts/{id}", new { status = "acknowledged", note = "Đã giao QLTT" }, Ct);
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        var acknowledged = (await ack.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        Assert.Equal("acknowledged", (string)acknowledged["status"]!);
        Assert.NotNull((string?)acknowledged["acknowledgedBy"]);
        await AssertInvalidAsync(officer, id, new { status = "acknowledged" }, "status");

        var close = await officer.PatchAsJsonAsync($"/api/v1/alerts/{id}", new { status = "closed", outcome = "recalled" }, Ct);
        Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        Assert.Equal("recalled", (string)(await close.Content.ReadFromJsonAsync<JsonObject>(Ct))!["outcome"]!);
        await AssertInvalidAsync(officer, id, new { status = "closed", outcome = "false_alarm" }, "status");
        Assert.Contains(await AlertsAsync("status=closed&perPage=200"), a => (string)a!["id"]! == id);
        Assert.DoesNotContain(await AlertsAsync("status=open&perPage=200"), a => (string)a!["id"]! == id);

        var audit = await app.Services.GetRequiredService<IAuditStore>().ListAuditAsync($"alert:{id}", 10, Ct);
        Assert.Equal(["alert.close", "alert.acknowledge"], audit.Select(a => a.Action));
        Assert.Equal("Đã giao QLTT", audit[1].Reason);
    }

    [Fact]
    public async Task A_producer_sees_only_its_own_alerts_without_staff_names_and_cannot_read_or_change_the_staff_list()
    {
        var (id, owner) = await RecalledLotAlertAsync("Cơ sở Tương ớt");
        var (otherId, other) = await RecalledLotAlertAsync("Cơ sở Tương bần");
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().PatchAsJsonAsync($"/api/v1/alerts/{id}", new { status = "acknowledged" }, Ct)).StatusCode);

        var mine = (await owner.Client.GetFromJsonAsync<JsonObject>("/api/v1/producers/me/alerts", Ct))!;
        var item = Assert.Single(mine["items"]!.AsArray())!;
        Assert.Equal(id, (string)item["id"]!);
        Assert.Equal("acknowledged", (string)item["status"]!);
        Assert.Null(item["acknowledgedBy"]);
        Assert.Equal([otherId], (await other.Client.GetFromJsonAsync<JsonObject>("/api/v1/producers/me/alerts", Ct))!["items"]!.AsArray().Select(a => (string)a!["id"]!));
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.Client.GetAsync("/api/v1/producers/me/alerts?status=nope", Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await owner.Client.GetAsync("/api/v1/alerts", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.Client.PatchAsJsonAsync($"/api/v1/alerts/{id}", new { status = "closed", outcome = "false_alarm" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Admin().GetAsync("/api/v1/producers/me/alerts", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/alerts", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_workspace_front_page_shows_the_top_open_alerts_in_Vietnamese_and_the_console_only_the_producers_own()
    {
        var (_, owner) = await RecalledLotAlertAsync("Cơ sở Bún khô");
        var (_, other) = await RecalledLotAlertAsync("Cơ sở Phở khô");
        var top = (await AlertsAsync("status=open&perPage=1")).Single()!;
        var browser = new StaffBrowser(app);
        await browser.SignInAsync();
        var front = WebUtility.HtmlDecode(await browser.GetPageAsync("/authority"));
        Assert.Contains("Cảnh báo sớm đang mở", front);
        Assert.Contains((string)top["reason"]!["vi"]!, front);
        Assert.DoesNotContain("Cảnh báo sớm đang mở", WebUtility.HtmlDecode(await browser.GetPageAsync("/authority/producers")));
        Assert.Contains("Open early warnings", WebUtility.HtmlDecode(await browser.GetPageAsync("/authority?lang=en")));

        var console = new StaffBrowser(app);
        var signIn = await console.GetPageAsync("/console/signin");
        var key = owner.Client.DefaultRequestHeaders.Authorization!.Parameter!;
        var signedIn = await console.Client.PostAsync("/console/signin", new FormUrlEncodedContent(
            [new("key", key), new("__csrf", StaffBrowser.TokenOf(signIn))]), Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var page = WebUtility.HtmlDecode(await console.GetPageAsync("/console/alerts"));
        var ownGtin = (string)Assert.Single(await AlertsAsync($"producer={owner.Id}"))!["gtin"]!;
        var otherGtin = (string)Assert.Single(await AlertsAsync($"producer={other.Id}"))!["gtin"]!;
        Assert.Contains($"lô R-01 của GTIN {ownGtin}", page);
        Assert.DoesNotContain(otherGtin, page);
        Assert.Contains("href=\"/console/alerts\"", page);
    }

    [Fact]
    public async Task Alerts_and_counters_survive_a_restart_and_the_same_case_keeps_growing_in_one_alert()
    {
        var (id, producer) = await RecalledLotAlertAsync("Cơ sở Chả cá");
        await using var restarted = new RestartedApp(app.DataDirectory);
        var again = (await restarted.Admin().GetFromJsonAsync<JsonObject>($"/api/v1/alerts/{id}", Ct))!;
        Assert.Equal(3, (long)again["count"]!);

        var gtin = (string)again["gtin"]!;
        var scans = Enumerable.Range(0, 2).Select(i => Scan(gtin, "R-01", "Lai Châu", $"later-{i}")).ToArray();
        await restarted.Services.GetRequiredService<IScanStore>().AddScansAsync(scans, Ct);
        await restarted.Services.GetRequiredService<EarlyWarningEngine>().ObserveAsync(scans, Ct);

        var grown = Assert.Single(await AlertsAsync($"kind=after_recall&producer={producer.Id}", restarted.Admin()))!;
        Assert.Equal(id, (string)grown["id"]!);
        Assert.Equal(5, (long)grown["count"]!);
        Assert.True((double)grown["score"]! > (double)again["score"]!);
    }

    [Fact]
    public async Task The_list_validates_its_filters_with_the_field_path()
    {
        foreach (var (query, field) in new[] { ("status=nope", "status"), ("kind=nope", "kind"), ("province=Atlantis", "province"), ("perPage=0", "perPage") })
        {
            var response = await app.Admin().GetAsync($"/api/v1/alerts?{query}", Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject().ContainsKey(field), query);
        }
    }

    [Theory]
    [InlineData(0, 0.3, 0)]
    [InlineData(1, 0.3, 0.59)]
    [InlineData(5, 0.3, 4.80)]
    [InlineData(34, 0.5, 48.92)]
    [InlineData(10, 10, 0.27)]
    public void The_Poisson_surprise_is_minus_log10_of_the_upper_tail(long k, double lambda, double expected) =>
        Assert.Equal(expected, Scoring.PoissonSurprise(k, lambda), 1);

    /// <summary>
    /// The live path skips scoring a cell below its kind's smallest passing count: that is only right
    /// while no history can make a smaller count pass. Checked against the scoring itself over many
    /// histories (flat, busy, empty, and an established one for surges), so a change of the formula
    /// that breaks the bound fails here.
    /// </summary>
    [Fact]
    public void No_history_lets_a_count_below_its_kinds_smallest_passing_count_reach_the_threshold()
    {
        var random = new Random(19);
        foreach (var threshold in new[] { 1.0, 4.0, 9.5 })
            foreach (var kind in AlertKinds.All)
            {
                var min = EarlyWarningEngine.MinCount(kind, threshold);
                // Tight: early in the day (the least part of it a count is scored over) the smallest count passes.
                Assert.True(Scoring.Score(kind, min, History.Of(new long[28]), 28, dayFraction: Scoring.MinDayFraction).Score >= threshold || kind.Surge,
                    $"{kind.Name} at {min}");
                for (var round = 0; round < 200; round++)
                {
                    var daily = Enumerable.Range(0, 28).Select(_ => (long)random.Next(0, round % 4 == 0 ? 2 : 40)).ToArray();
                    var history = round % 7 == 0 ? History.Empty : History.Of(daily);
                    var fraction = round % 3 == 0 ? Scoring.MinDayFraction : Scoring.MinDayFraction + random.NextDouble() * (1 - Scoring.MinDayFraction);
                    for (var count = 0L; count < min; count++)
                        Assert.True(Scoring.Score(kind, count, history, daily.Count(d => d > 0), dayFraction: fraction).Score < threshold,
                            $"{kind.Name}: {count} < {min} at day fraction {fraction:0.00}");
                }
            }
    }

    /// <summary>A producer's recalled lot scanned three times in Lai Châu: one open after_recall alert.</summary>
    private async Task<(string Id, TestProducer Producer)> RecalledLotAlertAsync(string name)
    {
        var producer = await app.NewProducerAsync(name);
        var gtin = await producer.RegisterProductAsync(name);
        await producer.RegisterLotAsync(gtin, "R-01");
        Assert.Equal(HttpStatusCode.Created, (await producer.Client.PostAsJsonAsync("/api/v1/recalls",
            new { gtin, lots = new[] { "R-01" }, reason = "Nhiễm khuẩn", severity = "high" }, Ct)).StatusCode);
        await FeedAsync([.. Enumerable.Range(0, 3).Select(i => Scan(gtin, "R-01", "Lai Châu", $"{name}-{i}"))]);
        var alert = Assert.Single(await AlertsAsync($"kind=after_recall&producer={producer.Id}"))!;
        return ((string)alert["id"]!, producer);
    }

    private static async Task AssertInvalidAsync(HttpClient client, string id, object body, string field)
    {
        var response = await client.PatchAsJsonAsync($"/api/v1/alerts/{id}", body, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject().ContainsKey(field), field);
    }

    private ScanRecord Scan(string gtin, string lot, string province, string client, string? serial = null) =>
        new(Now, LotKey.Of(gtin, lot), serial, province, "mobile", client);

    /// <summary>As the scan log writer does: store the batch, then show it to the engine.</summary>
    private async Task FeedAsync(ScanRecord[] scans)
    {
        await app.Services.GetRequiredService<IScanStore>().AddScansAsync(scans, Ct);
        await app.Services.GetRequiredService<EarlyWarningEngine>().ObserveAsync(scans, Ct);
    }

    private async Task<JsonArray> AlertsAsync(string query, HttpClient? client = null) =>
        (await (client ?? app.Admin()).GetFromJsonAsync<JsonObject>("/api/v1/alerts?" + query, Ct))!["items"]!.AsArray();

    private static async Task<JsonObject> EventuallyAsync(Func<Task<JsonNode?>> read)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await read() is JsonObject found) return found;
            await Task.Delay(100, Ct);
        }
        throw new TimeoutException("No alert within 10 s.");
    }

    private static JsonObject Shipping(string gtin, string lot, string from, string to) => new()
    {
        ["type"] = "ObjectEvent",
        ["eventTime"] = "2026-11-02T08:00:00+07:00",
        ["eventTimeZoneOffset"] = "+07:00",
        ["action"] = "OBSERVE",
        ["bizStep"] = "shipping",
        ["disposition"] = "in_transit",
        ["bizLocation"] = new JsonObject { ["id"] = from },
        ["quantityList"] = new JsonArray(new JsonObject { ["epcClass"] = $"https://id.gs1.org/01/{gtin}/10/{lot}", ["quantity"] = 100 }),
        ["sourceList"] = new JsonArray(new JsonObject { ["type"] = "location", ["source"] = from }),
        ["destinationList"] = new JsonArray(new JsonObject { ["type"] = "location", ["destination"] = to }),
    };
}
