using System.Globalization;
using System.Text.Json;
using MiniExcelLibs;
using Traceability.Domain;
using UglyToad.PdfPig;

namespace Traceability.Authority.FunctionalTests;

/// <summary>A store of its own: the known set is all the report may count.</summary>
public sealed class StatisticsApp : AuthorityApp;

/// <summary>
/// The periodic report (issue 18 point 7) over a known set of producers, events, scans (a
/// pre-merger province among them), recalls, complaints and inspections: the JSON, the page, the
/// XLSX and the PDF all show exactly those numbers.
/// </summary>
public sealed partial class StatisticsTests(StatisticsApp app) : IClassFixture<StatisticsApp>
{
    private static readonly SemaphoreSlim Seeded = new(1, 1);
    private static bool seeded;

    // The whole current Vietnam year: everything registered now falls in it.
    private static readonly int Year = VietnamTime.Today(DateTimeOffset.UtcNow).Year;
    private static readonly string Period = $"from={Year}-01-01&to={Year}-12-31";
    private static readonly DateTimeOffset DayA = new(Year, 1, 10, 9, 0, 0, VietnamTime.Offset);
    // 23:30 in Vietnam is 16:30 UTC of the same day: counted on the Vietnam day, not the UTC one.
    private static readonly DateTimeOffset DayB = new(Year, 1, 11, 23, 30, 0, VietnamTime.Offset);

    /// <summary>
    /// Producers: Tuyên Quang (2 products, 2 lots, 3 events), Hà Giang — merged into Tuyên Quang —
    /// (1 product, 1 lot, 1 event, 1 recall) and Lai Châu (1 product, 1 lot, suspended). Scans,
    /// complaints and inspections as listed in each step.
    /// </summary>
    private async Task SeedAsync()
    {
        await Seeded.WaitAsync();
        try
        {
            if (seeded) return;
            var tq = await NewProducerAsync("HTX Cam sành Hàm Yên", "Tuyên Quang");
            var hg = await NewProducerAsync("HTX Chè Shan tuyết Hà Giang", "Hà Giang");
            var lc = await NewProducerAsync("HTX Sâm Lai Châu", "Lai Châu");

            var orange = await tq.RegisterProductAsync("Cam sành");
            var orangeJuice = await tq.RegisterProductAsync("Nước cam");
            var tea = await hg.RegisterProductAsync("Chè Shan tuyết");
            var ginseng = await lc.RegisterProductAsync("Sâm Lai Châu");
            await tq.RegisterLotAsync(orange, "CS-01");
            await tq.RegisterLotAsync(orangeJuice, "NC-01");
            await hg.RegisterLotAsync(tea, "ST-01");
            await lc.RegisterLotAsync(ginseng, "SLC-01");
            await tq.CaptureAsync(Event(orange, "CS-01", "commissioning", 1), Event(orange, "CS-01", "shipping", 2),
                Event(orangeJuice, "NC-01", "commissioning", 3));
            await hg.CaptureAsync(Event(tea, "ST-01", "commissioning", 4));

            (await app.Admin().PostAsJsonAsync($"/api/v1/producers/{lc.Id}/suspend", new { reason = "Kiểm tra" })).EnsureSuccessStatusCode();
            var recall = await app.Admin().PostAsJsonAsync("/api/v1/recalls", new { gtin = tea, lots = new[] { "ST-01" }, reason = "Dư lượng", severity = "medium" });
            recall.EnsureSuccessStatusCode();
            // Ended again: issued 1 and ended 1 in the period.
            (await app.Admin().PostAsJsonAsync($"{recall.Headers.Location!.OriginalString}/end", new { reason = "Đã xử lý xong" })).EnsureSuccessStatusCode();

            // Consumer scans: 3 in Tuyên Quang and 1 without a province on day A, 2 in Hà Giang (→ Tuyên Quang)
            // and 1 in Lai Châu on day B, 2 of unregistered codes in Hà Giang on day A. Not counted: an
            // inspector's scan and a scan of the year before.
            var scans = app.Services.GetRequiredService<IScanStore>();
            var orangeLot = LotKey.Of(orange, "CS-01");
            await scans.AddScansAsync(
            [
                Scan(DayA, orangeLot, "Tuyên Quang"), Scan(DayA, orangeLot, "Tuyên Quang"), Scan(DayA, orangeLot, "Tuyên Quang"),
                Scan(DayA, orangeLot, null),
                Scan(DayB, LotKey.Of(tea, "ST-01"), "Hà Giang"), Scan(DayB, LotKey.Of(tea, "ST-01"), "Hà Giang"),
                Scan(DayB, LotKey.Of(ginseng, "SLC-01"), "Lai Châu"),
                Scan(DayA, LotKey.Of(orange, "FAKE-1"), "Hà Giang") with { Unknown = true },
                Scan(DayA, ScanRecord.ProductKey("08930000000017"), "Hà Giang") with { Unknown = true },
                Scan(DayA, orangeLot, "Lai Châu") with { Source = ScanSources.Inspector },
                Scan(DayA.AddYears(-1), orangeLot, "Tuyên Quang"),
            ]);

            // Complaints: 2 about quality on Tuyên Quang's oranges (resolved after 2 and 4 days: median 3),
            // 1 counterfeit about Lai Châu's ginseng, 1 with no code.
            foreach (var (code, category) in new[]
            {
                ($"https://tx.example.vn/01/{orange}/10/CS-01", "quality"), ($"https://tx.example.vn/01/{orange}/10/CS-01", "quality"),
                ($"https://tx.example.vn/01/{ginseng}/10/SLC-01", "counterfeit"), (null, "other"),
            })
                Assert.Equal(HttpStatusCode.Accepted, (await app.CreateClient().PostAsJsonAsync("/api/v1/reports", new { code, category, message = "Phản ánh" })).StatusCode);
            var reports = app.Services.GetRequiredService<IReportStore>();
            var quality = (await reports.ListReportsAsync(null, 100)).Where(r => r.Category == "quality").ToList();
            Assert.Equal(2, quality.Count);
            Assert.True(await reports.SetReportStatusAsync(quality[0].Id, ReportStatus.Resolved, quality[0].CreatedAt.AddDays(2)));
            Assert.True(await reports.SetReportStatusAsync(quality[1].Id, ReportStatus.Resolved, quality[1].CreatedAt.AddDays(4)));

            // Inspections: compliant oranges (Tuyên Quang), a violation on the ginseng (Lai Châu), an unknown code.
            var (inspector, _) = await app.NewInspectorAsync();
            foreach (var (code, result) in new[]
            {
                ($"https://tx.example.vn/01/{orange}/10/CS-01", "compliant"), ($"https://tx.example.vn/01/{ginseng}/10/SLC-01", "violation"),
                ("https://tx.example.vn/01/08930000000017/10/X1", "unknown"),
            })
            {
                var made = await inspector.PostAsJsonAsync("/api/v1/inspections", new { code, result });
                made.EnsureSuccessStatusCode();
                // The compliant oranges' outcome is published: 1 published outcome.
                if (result == "compliant")
                    (await app.Admin().PostAsJsonAsync($"/api/v1/inspections/{(await made.Content.ReadFromJsonAsync<JsonObject>())!["id"]}/publish", new { reason = "Công khai" }))
                        .EnsureSuccessStatusCode();
            }
            seeded = true;
        }
        finally
        {
            Seeded.Release();
        }
    }

    [Fact]
    public async Task The_statistics_of_all_provinces_count_exactly_the_known_set()
    {
        await SeedAsync();
        var json = await GetJsonAsync($"/api/v1/statistics?{Period}");

        Assert.Equal($"{Year}-01-01", json["from"]!.GetValue<string>());
        Assert.Null(json["province"]);
        AssertCounts(json["producers"]!, ("registered", 3), ("total", 3), ("active", 2), ("suspended", 1));
        AssertCounts(json["catalog"]!, ("products", 4), ("lots", 4), ("events", 4));
        // Sync is off in tests: every row made (4 products, 4 lots, 4 events, 1 recalled lot) is pending.
        AssertCounts(json["sync"]!, ("synced", 0), ("failed", 0), ("pending", 13));
        AssertCounts(json["scans"]!, ("total", 9), ("unknownCode", 2));
        Assert.Equal([($"{Year}-01-10", 6L), ($"{Year}-01-11", 3L)],
            json["scans"]!["byDay"]!.AsArray().Select(d => (d!["day"]!.GetValue<string>(), d["count"]!.GetValue<long>())));
        Assert.Equal([("Tuyên Quang", 7L), ("Lai Châu", 1L), (null, 1L)],
            json["scans"]!["byProvince"]!.AsArray().Select(p => (p!["province"]?.GetValue<string>(), p["count"]!.GetValue<long>())));
        AssertCounts(json["recalls"]!, ("issued", 1), ("ended", 1));
        AssertCounts(json["complaints"]!, ("total", 4));
        Assert.Equal([("quality", 2L), ("counterfeit", 1L), ("other", 1L)], Named(json["complaints"]!["byCategory"]!));
        Assert.Equal([("new", 2L), ("resolved", 2L)], Named(json["complaints"]!["byStatus"]!));
        Assert.Equal(3.0, json["complaints"]!["medianDaysToResolve"]!.GetValue<double>(), 2);
        AssertCounts(json["inspections"]!, ("total", 3));
        Assert.Equal([("compliant", 1L), ("unknown", 1L), ("violation", 1L)], Named(json["inspections"]!["byResult"]!));
        AssertCounts(json["inspections"]!, ("publishedOutcomes", 1));
    }

    [Fact]
    public async Task One_province_counts_its_records_and_those_under_the_pre_merger_name_it_now_contains()
    {
        await SeedAsync();
        var tuyenQuang = await GetJsonAsync($"/api/v1/statistics?{Period}&province={Uri.EscapeDataString("tuyen quang")}");
        Assert.Equal("Tuyên Quang", tuyenQuang["province"]!.GetValue<string>());
        AssertCounts(tuyenQuang["producers"]!, ("registered", 2), ("active", 2), ("suspended", 0));
        AssertCounts(tuyenQuang["catalog"]!, ("products", 3), ("lots", 3), ("events", 4));
        AssertCounts(tuyenQuang["scans"]!, ("total", 7), ("unknownCode", 2));
        AssertCounts(tuyenQuang["recalls"]!, ("issued", 1));
        AssertCounts(tuyenQuang["complaints"]!, ("total", 2));
        AssertCounts(tuyenQuang["inspections"]!, ("total", 1));

        var laiChau = await GetJsonAsync($"/api/v1/statistics?{Period}&province={Uri.EscapeDataString("Lai Châu")}");
        AssertCounts(laiChau["producers"]!, ("registered", 1), ("active", 0), ("suspended", 1));
        AssertCounts(laiChau["scans"]!, ("total", 1), ("unknownCode", 0));
        AssertCounts(laiChau["complaints"]!, ("total", 1));
        Assert.Null(laiChau["complaints"]!["medianDaysToResolve"]);
        Assert.Equal([("violation", 1L)], Named(laiChau["inspections"]!["byResult"]!));
    }

    [Theory]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("from=2026-02-01&to=2026-01-01", "to")]
    [InlineData("from=2020-01-01&to=2026-12-31", "to")]
    [InlineData("province=Hà%20Giang", "province")]
    [InlineData("province=Atlantis", "province")]
    [InlineData("format=docx", "format")]
    public async Task Bad_input_is_a_400_problem_with_the_field(string query, string field)
    {
        var response = await app.Admin().GetAsync("/api/v1/statistics?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task A_pre_merger_province_is_refused_naming_the_province_that_contains_it()
    {
        var problem = JsonNode.Parse(await (await app.Admin().GetAsync("/api/v1/statistics?province=Hà%20Giang")).Content.ReadAsStringAsync())!;
        Assert.Contains("Tuyên Quang", (string)problem["errors"]!["province"]![0]!);
    }

    [Fact]
    public async Task The_page_shows_the_same_numbers_with_charts_and_links_to_the_files()
    {
        await SeedAsync();
        var browser = new StaffBrowser(app);
        await browser.SignInAsync();
        var html = await browser.GetPageAsync($"/authority/report?kind=year&year={Year}");
        var cells = Cells(html);
        Assert.Contains($"Báo cáo kết quả thực hiện công tác truy xuất nguồn gốc năm {Year}", WebUtility.HtmlDecode(html));
        Assert.Equal("3", cells["Đăng ký mới trong kỳ"]);
        Assert.Equal("2", cells["Có cập nhật dữ liệu trong kỳ"]);
        Assert.Equal("4", cells["Sự kiện truy xuất ghi nhận trong kỳ"]);
        Assert.Equal("9", cells["Tổng số lượt quét"]);
        Assert.Equal("2", cells["Lượt quét mã chưa đăng ký"]);
        Assert.Equal("7", cells["Tuyên Quang"]);
        Assert.Equal("6", cells["10/01/" + Year]);
        Assert.Equal("1", cells["Lệnh thu hồi ban hành trong kỳ"]);
        Assert.Equal("2", cells["Loại: Chất lượng"]);
        Assert.Equal("3", cells["Thời gian giải quyết (trung vị, ngày)"]);
        Assert.Equal("1", cells["Kết quả: Có vi phạm"]);
        Assert.Equal("1", cells["Kết quả đã công khai"]);
        // Charts are inline SVG without a style attribute (strict CSP), one per chart.
        Assert.Equal(3, Regex.Count(html, "<svg role=\"img\""));
        Assert.DoesNotContain("style=", html);
        Assert.Contains($"/authority/report/export?format=pdf&amp;from={Year}-01-01&amp;to={Year}-12-31", html);

        var quarter = Cells(await browser.GetPageAsync($"/authority/report?kind=quarter&year={Year}&quarter=1&province=Lai%20Ch%C3%A2u"));
        Assert.Equal("1", quarter["Tổng số lượt quét"]);
        var bad = await browser.Client.GetAsync("/authority/report?kind=dates&from=2026-05-01&to=2026-04-01");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Kỳ báo cáo không hợp lệ", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.Client.GetAsync("/authority/report?year=abc")).StatusCode);
    }

    [Fact]
    public async Task The_xlsx_has_one_sheet_per_section_with_the_same_numbers()
    {
        await SeedAsync();
        var response = await app.Admin().GetAsync($"/api/v1/statistics?{Period}&format=xlsx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(["Thông tin", "Cơ sở SXKD", "Sản phẩm, lô, sự kiện", "Đồng bộ Cổng quốc gia", "Lượt quét", "Quét theo tỉnh",
            "Quét theo ngày", "Thu hồi", "Phản ánh", "Kiểm tra"], MiniExcel.GetSheetNames(stream));
        Dictionary<string, object?> Sheet(string name) => MiniExcel.Query(stream, useHeaderRow: true, sheetName: name)
            .Cast<IDictionary<string, object?>>().ToDictionary(r => r.Values.First()!.ToString()!, r => r.Values.Skip(1).First());
        Assert.Equal(3d, Sheet("Cơ sở SXKD")["Đăng ký mới trong kỳ"]);
        Assert.Equal(4d, Sheet("Sản phẩm, lô, sự kiện")["Sự kiện truy xuất ghi nhận trong kỳ"]);
        Assert.Equal(13d, Sheet("Đồng bộ Cổng quốc gia")["Đang chờ"]);
        Assert.Equal(9d, Sheet("Lượt quét")["Tổng số lượt quét"]);
        Assert.Equal(2d, Sheet("Lượt quét")["Lượt quét mã chưa đăng ký"]);
        Assert.Equal(7d, Sheet("Quét theo tỉnh")["Tuyên Quang"]);
        Assert.Equal(1d, Sheet("Quét theo tỉnh")["Không rõ tỉnh, thành"]);
        Assert.Equal(3d, Sheet("Quét theo ngày")[$"11/01/{Year}"]);
        Assert.Equal(1d, Sheet("Thu hồi")["Lệnh thu hồi ban hành trong kỳ"]);
        Assert.Equal(1d, Sheet("Thu hồi")["Lệnh thu hồi kết thúc trong kỳ"]);
        Assert.Equal(1d, Sheet("Kiểm tra")["Kết quả đã công khai"]);
        Assert.Equal(3d, Sheet("Phản ánh")["Thời gian giải quyết (trung vị, ngày)"]);
        Assert.Equal(1d, Sheet("Kiểm tra")["Kết quả: Đạt yêu cầu"]);
        Assert.Contains($"năm {Year}", Sheet("Thông tin")["Báo cáo"]!.ToString());
    }

    [Fact]
    public async Task The_pdf_is_titled_as_the_annual_report_and_reads_back_the_same_numbers()
    {
        await SeedAsync();
        var browser = new StaffBrowser(app);
        await browser.SignInAsync();
        var response = await browser.Client.GetAsync($"/authority/report/export?format=pdf&{Period}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);

        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var text = string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.Contains($"BÁO CÁO KẾT QUẢ THỰC HIỆN CÔNG TÁC TRUY XUẤT NGUỒN GỐC NĂM {Year}", text);
        Assert.Contains($"Kỳ báo cáo: 01/01/{Year} – 31/12/{Year}", text);
        Assert.Matches(@"Lập lúc: \d\d:\d\d \d\d/\d\d/\d{4} \(UTC\+7\)", text);
        Assert.Contains("Đăng ký mới trong kỳ 3", text);
        Assert.Contains("Sự kiện truy xuất ghi nhận trong kỳ 4", text);
        Assert.Contains("Tổng số lượt quét 9", text);
        Assert.Contains("Lượt quét mã chưa đăng ký 2", text);
        Assert.Contains("Tuyên Quang 7", text);
        Assert.Contains("Không rõ tỉnh, thành 1", text);
        Assert.Contains("Lệnh thu hồi ban hành trong kỳ 1", text);
        Assert.Contains("Lệnh thu hồi kết thúc trong kỳ 1", text);
        Assert.Contains("Kết quả đã công khai 1", text);
        Assert.Contains("Loại: Chất lượng 2", text);
        Assert.Contains("Thời gian giải quyết (trung vị, ngày) 3", text);
        Assert.Contains("Kết quả: Có vi phạm 1", text);
    }

    private async Task<TestProducer> NewProducerAsync(string name, string province)
    {
        var account = await app.RegisterProducerAsync(name, province);
        return new TestProducer(app.ClientWithKey(account.ApiKey), account.Id, account.Prefix, name, account.TaxCode);
    }

    private static JsonObject Event(string gtin14, string lot, string bizStep, int minute) => new()
    {
        ["type"] = "ObjectEvent", ["action"] = bizStep == "commissioning" ? "ADD" : "OBSERVE", ["bizStep"] = bizStep,
        ["eventTime"] = $"2026-11-20T07:{minute:00}:00+07:00", ["eventTimeZoneOffset"] = "+07:00",
        ["quantityList"] = new JsonArray(new JsonObject { ["epcClass"] = $"https://id.gs1.org/01/{gtin14}/10/{lot}", ["quantity"] = 10 }),
    };

    private static ScanRecord Scan(DateTimeOffset at, string key, string? province) => new(at, key, null, province, "mobile");

    private async Task<JsonNode> GetJsonAsync(string url)
    {
        var response = await app.Admin().GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static void AssertCounts(JsonNode section, params (string Name, long Count)[] expected)
    {
        foreach (var (name, count) in expected)
            Assert.True(section[name]!.GetValue<double>() == count, $"{name}: expected {count}, got {section[name]} in {section.ToJsonString()}");
    }

    private static IEnumerable<(string, long)> Named(JsonNode list) =>
        list.AsArray().Select(n => (n!["name"]!.GetValue<string>(), n["count"]!.GetValue<long>()));

    private static Dictionary<string, string> Cells(string html) =>
        Row().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["label"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));

    [GeneratedRegex("<td data-label=\"[^\"]*\">(?<label>[^<]*)</td>\\s*<td data-label=\"[^\"]*\" class=\"number\">(?<value>[^<]*)</td>")]
    private static partial Regex Row();
}

/// <summary>Who may read the report: staff only (its own host: the accounts it makes are not in the known set).</summary>
public sealed class StatisticsRoleTests(AuthorityApp app) : IClassFixture<AuthorityApp>
{
    [Fact]
    public async Task Producers_and_inspectors_get_403_on_the_api_the_page_and_the_files()
    {
        var producer = await app.RegisterProducerAsync();
        var inspector = await app.RegisterInspectorAsync();
        foreach (var key in new[] { producer.ApiKey, inspector.ApiKey })
        {
            var client = app.ClientWithKey(key);
            foreach (var url in new[] { "/api/v1/statistics", "/authority/report", "/authority/report/export?format=xlsx", "/api/v1/statistics?format=pdf" })
                Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(url)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/statistics")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await new StaffBrowser(app).Client.GetAsync("/authority/report")).StatusCode);
    }

    [Fact]
    public async Task A_lookup_or_a_verify_of_an_unregistered_code_counts_as_an_unknown_code_scan()
    {
        var url = $"/api/v1/statistics?province={Uri.EscapeDataString("Cao Bằng")}";
        async Task<long> UnknownAsync() =>
            JsonNode.Parse(await app.Admin().GetStringAsync(url))!["scans"]!["unknownCode"]!.GetValue<long>();
        var before = await UnknownAsync();
        var gtin = Traceability.Testing.StandaloneApp.Gtin14("8939999", 7); // no producer owns this prefix
        var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/01/{gtin}/10/FAKE-1?province={Uri.EscapeDataString("Cao Bằng")}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/v1/verify", new { code = $"https://id.gs1.org/01/{gtin}", province = "Cao Bằng" })).StatusCode);

        // Scans are written in the background, in batches.
        for (var i = 0; i < 50 && await UnknownAsync() < before + 2; i++) await Task.Delay(200);
        Assert.Equal(before + 2, await UnknownAsync());
    }
}
