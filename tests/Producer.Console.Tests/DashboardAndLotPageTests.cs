using Traceability.Lookup.Api.Signing;

namespace Traceability.ProducerConsole.Tests;

/// <summary>Issue 21 points 6 and 7: the console's home dashboard and the lot page, and that console labels verify offline.</summary>
public sealed class DashboardAndLotPageTests(ConsoleAppFixture fixture) : IClassFixture<ConsoleAppFixture>
{
    private ConsoleApp App => fixture.App;

    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    private static string Local(DateTimeOffset t) => t.ToOffset(Vietnam).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset t) => t.ToOffset(Vietnam).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The number a dashboard figure shows (inside its link, when it has one).</summary>
    private static string Figure(string html, string id) =>
        Regex.Match(html, $"<dd id=\"{id}\"[^>]*>(?:<a [^>]*>)?([^<]+)") is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException($"no figure {id}");

    private async Task AddScansAsync(params ScanRecord[] scans) => await App.Services.GetRequiredService<IScanStore>().AddScansAsync(scans);

    [Fact]
    public async Task The_dashboard_counts_this_months_lots_and_events_portal_states_consumer_scans_complaints_and_expiring_lots()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var now = DateTimeOffset.UtcNow;
        var gtin14 = producer.NewGtin().PadLeft(14, '0');
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync("/console/products/new", "/console/products/new",
            new() { ["gtin"] = gtin14, ["name.vi"] = "Chè Shan tuyết", ["unit"] = "gói" })).StatusCode);
        await DestinationTests.AddLocationAsync(browser, "XUONG", "Xưởng chè", "processing", "Tuyên Quang");
        foreach (var (lot, expiry) in new[] { ("SOON", now.AddDays(10)), ("LATER", now.AddDays(40)), ("GONE", now.AddDays(-1)) })
            Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync("/console/lots/new", "/console/lots/new",
                new() { ["gtin"] = gtin14, ["lot"] = lot, ["expiryDate"] = Day(expiry) })).StatusCode);
        await ConsoleFlowTests.RecordAsync(browser, gtin14, "SOON", "harvest", "XUONG", Local(now.AddMinutes(-5)));
        await ConsoleFlowTests.RecordAsync(browser, gtin14, "SOON", "packing", "XUONG", Local(now));
        await ConsoleFlowTests.RecordAsync(browser, gtin14, "LATER", "harvest", "XUONG", Local(now.AddDays(-40))); // an earlier month
        var soon = LotKey.Of(gtin14, "SOON");
        await AddScansAsync(
            new(now.AddHours(-1), soon, null, "Hà Nội", "mobile"), new(now.AddDays(-2), LotKey.Of(gtin14, "LATER"), null, null, "mobile"),
            new(now.AddDays(-10), soon, null, null, "mobile"),                                   // not this week
            new(now.AddHours(-2), soon, null, null, "mobile", Source: ScanSources.Inspector),    // not a consumer
            new(now.AddHours(-2), soon, null, null, "mobile", Unknown: true));                   // not a registered code
        var reports = App.Services.GetRequiredService<IReportStore>();
        foreach (var (id, code, status) in new[]
                 {
                     ("r_d1", $"https://id.gs1.org/01/{gtin14}/10/SOON", ReportStatus.New), ("r_d2", $"/01/{gtin14}", ReportStatus.New),
                     ("r_d3", $"/01/{gtin14}/10/LATER", ReportStatus.Resolved), ("r_d4", "/01/08936999000019/10/X", ReportStatus.New),
                 })
            await reports.AddReportAsync(new ConsumerReport(id + producer.Id, now, code, null, "quality", "Gói bị rách, số điện thoại 0912345678",
                null, status, now));

        var alerts = App.Services.GetRequiredService<IEarlyWarningStore>();
        foreach (var (id, owner, status) in new[] { ("a1", producer.Id, "open"), ("a2", producer.Id, "closed"), ("a3", "someone-else", "open") })
            await alerts.UpsertEarlyAlertAsync(new EarlyAlert($"{id}-{producer.Id}", "unknown_codes", $"01/{gtin14}", gtin14, "", "Hà Nội",
                DateOnly.FromDateTime(now.UtcDateTime), owner, 9, 30, 0.5, "30 lượt", "30 lookups", now, now, status));

        var html = await browser.GetPageAsync("/console");
        Assert.Equal("1", Figure(html, "alerts-open"));
        Assert.Equal("3", Figure(html, "lots-month"));
        Assert.Equal("2", Figure(html, "events-month"));
        Assert.Equal("2", Figure(html, "scans-week"));
        Assert.Equal("1", Figure(html, "expiring"));
        // Sync is off in this host: the product, three lots and this month's two events all wait.
        Assert.Equal("6", Figure(html, "sync-waiting"));
        Assert.Equal("0", Figure(html, "sync-sent"));
        Assert.Equal("0", Figure(html, "sync-refused"));
        Assert.Equal("2", Figure(html, "complaints-new"));
        Assert.Equal("1", Figure(html, "complaints-resolved"));
        Assert.Equal("0", Figure(html, "complaints-review"));
        Assert.Matches($"<li><a href=\"/console/lots/{gtin14}/SOON\">SOON</a>", html);
        Assert.DoesNotContain(">LATER<", html);
        Assert.DoesNotContain(">GONE<", html);
        // Counts only: nothing a consumer wrote reaches the producer.
        Assert.DoesNotContain("0912345678", html);
        Assert.DoesNotContain("Gói bị rách", html);
        // Another producer's dashboard counts none of it.
        var other = await (await App.NewProducerAsync()).SignInAsync();
        var empty = await other.GetPageAsync("/console");
        Assert.Equal("0", Figure(empty, "lots-month"));
        Assert.Equal("0", Figure(empty, "complaints-new"));
        Assert.Equal("0", Figure(empty, "alerts-open"));
    }

    [Fact]
    public async Task The_lot_page_shows_events_with_portal_state_QR_labels_scans_and_recall_and_only_to_its_owner()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var (gtin14, lot) = await ConsoleFlowTests.SetUpLotAsync(producer, browser, "LP-2611");
        await ConsoleFlowTests.RecordAsync(browser, gtin14, lot, "harvest", "VT-PHULUU", "2026-11-20T07:30", "1200");
        await ConsoleFlowTests.RecordAsync(browser, gtin14, lot, "packing", "SC-HAMYEN", "2026-11-21T09:00");
        var sheet = await browser.SubmitAsync("/console/labels", "/console/labels/sheet", new() { ["lot"] = $"{gtin14}:{lot}", ["count"] = "3", ["kind"] = "signed" });
        Assert.Equal(HttpStatusCode.OK, sheet.StatusCode);
        var now = DateTimeOffset.UtcNow;
        await AddScansAsync(new(now.AddHours(-3), LotKey.Of(gtin14, lot), null, null, "mobile"), new(now.AddDays(-1), LotKey.Of(gtin14, lot), "X", null, "mobile"),
            new(now.AddDays(-20), LotKey.Of(gtin14, lot), null, null, "desktop"), new(now.AddHours(-1), LotKey.Of(gtin14, lot), null, null, "mobile", Source: ScanSources.Inspector));

        var url = $"/console/lots/{gtin14}/{lot}";
        var html = await browser.GetPageAsync(url);
        Assert.Contains($"<h1>Lô {lot}</h1>", html);
        Assert.Contains("Cam sành Hàm Yên", html);
        Assert.Contains("class=\"status-active\">Đang lưu hành", html);
        Assert.Contains($"src=\"/qr/01/{gtin14}/10/{lot}?format=svg\"", html);
        Assert.Contains("Đã phát hành 3 tem có số sê-ri và chữ ký số.", html);
        Assert.Contains("7 ngày qua: 2 · 30 ngày qua: 3", html);
        Assert.Contains($"href=\"/console/lots/{gtin14}/{lot}/recall\">Thu hồi lô</a>", html);
        Assert.Contains($"href=\"/console/labels?lot={gtin14}%3A{lot}\"", html);
        // Each event with where it happened and its portal state (sync is off here: waiting).
        Assert.Matches(new Regex("<td>Thu hoạch · 20/11/2026 07:30 · Vùng trồng Phù Lưu</td><td><span class=\"portal portal-waiting\">Chờ gửi</span>"), html);
        Assert.Matches(new Regex("<td>Đóng gói · 21/11/2026 09:00 · Cơ sở sơ chế Hàm Yên</td><td><span class=\"portal portal-waiting\">Chờ gửi</span>"), html);
        Assert.Equal(HttpStatusCode.OK, (await App.CreateClient().GetAsync($"/qr/01/{gtin14}/10/{lot}?format=svg")).StatusCode);
        // The lots list links to it.
        Assert.Contains($"href=\"{url}\">Trang lô", await browser.GetPageAsync("/console/lots"));

        var other = await (await App.NewProducerAsync()).SignInAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync($"/console/lots/{gtin14}/NOPE")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Client.GetAsync($"/console/lots/123/{lot}")).StatusCode);

        // After a recall the page says so and links to the recall.
        var recall = await browser.SubmitAsync($"{url}/recall", $"{url}/recall", new() { ["reason"] = "Nhiễm khuẩn", ["severity"] = "high", ["confirm"] = "yes" });
        Assert.Equal(HttpStatusCode.Redirect, recall.StatusCode);
        var recalled = await browser.GetPageAsync(url);
        Assert.Contains("Lô đang bị thu hồi.", recalled);
        Assert.Contains($"href=\"/console/lots/{gtin14}/{lot}/recall\">Xem thu hồi</a>", recalled);
    }

    [Fact]
    public async Task Labels_printed_from_the_console_verify_offline_with_only_the_published_keys_as_the_inspector_app_does()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var (gtin14, lot) = await ConsoleFlowTests.SetUpLotAsync(producer, browser, "LB-2611");
        var sheet = await browser.SubmitAsync("/console/labels", "/console/labels/sheet", new() { ["lot"] = $"{gtin14}:{lot}", ["count"] = "4" });
        Assert.Equal(HttpStatusCode.OK, sheet.StatusCode);
        var links = Regex.Matches(await sheet.Content.ReadAsStringAsync(), "aria-label=\"Mã QR ([^\"]+)\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(4, links.Count);

        // Only the published key set from here on: the inspector app's offline check has no store and no network.
        var keys = (await App.CreateClient().GetFromJsonAsync<JsonWebKeySet>("/.well-known/traceability-keys"))!.Resolver();
        foreach (var link in links)
        {
            Assert.Equal(LabelSignature.Check.Valid, LabelSignature.Verify(link, keys).Check);
            var forged = link.Replace("/21/", "/21/X", StringComparison.Ordinal);
            Assert.Equal(LabelSignature.Check.Invalid, LabelSignature.Verify(forged, keys).Check);
        }
        // Online, the consumer's page for a printed label says the code is verified.
        Assert.Equal("verified", (string?)(await App.PublicJsonAsync(new Uri(links[0]).PathAndQuery))["assurance"]);
    }
}
