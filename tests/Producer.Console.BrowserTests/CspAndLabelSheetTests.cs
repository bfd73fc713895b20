using System.Net.Http.Headers;
using UglyToad.PdfPig;

namespace Traceability.ProducerConsole.BrowserTests;

/// <summary>The standalone host with its demo data set, on a real port; signed in with a demo producer's key.</summary>
public sealed class DemoAppFixture : IDisposable
{
    // Https, so the demo's product images stay within the CSP (img-src https:) whatever port the test host gets.
    public LiveStandaloneApp App { get; } = new()
    {
        Settings = new Dictionary<string, string> { ["Demo:Seed"] = "true", ["Lookup:PublicBaseUrl"] = "https://truyxuat.example.vn" },
    };

    /// <summary>The first demo producer's key (demo-keys.txt: one "name TAB id TAB key" line per account; producers' ids start with "p_").</summary>
    public string ProducerKey()
    {
        _ = App.BaseUrl; // starts the host, which seeds the data and writes the keys
        return File.ReadAllLines(Path.Combine(App.DataDirectory, "demo-keys.txt")).Select(l => l.Split('\t'))
            .First(a => a[1].StartsWith("p_", StringComparison.Ordinal))[2];
    }

    public void Dispose() => App.Dispose();
}

/// <summary>
/// Issue 21: under the console's strict CSP (no inline style, script or handler) every page works,
/// the location form's "use my position" button shows, and a sheet of 20 labels prints on 2 A4 pages.
/// </summary>
public sealed partial class CspAndLabelSheetTests(DemoAppFixture fixture) : IClassFixture<DemoAppFixture>
{
    /// <summary>Console pages reached by following links from the home page, at most this many.</summary>
    private const int MaxPages = 120;

    // Markup the CSP forbids, found even where no violation fired (a handler never triggered).
    private const string InlineMarkup =
        "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].filter(a => a.name === 'style' || a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))" +
        ".concat([...document.querySelectorAll('script:not([src]), style')].map(e => e.tagName + ' inline'))";

    private async Task<BrowserWindow> OpenAsync(int width = 1280, int height = 900)
    {
        Assert.SkipUnless(DebianChromium.Installed, DebianChromium.Missing);
        var key = fixture.ProducerKey();
        var options = BrowserWindow.Sized(width, height);
        (options.DeviceScaleFactor, options.Permissions, options.Geolocation) = (2, ["geolocation"], new() { Latitude = 21.8236f, Longitude = 105.228f });
        var window = await BrowserWindow.OpenAsync(fixture.App.BaseUrl, options);
        var page = window.Page;
        await page.GotoAsync("/console/signin");
        await AssertNoViolationAsync(page, window.CspMessages);
        await page.GetByLabel("Khoá nhà sản xuất").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập bằng khoá" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/console$"));
        return window;
    }

    private static async Task AssertNoViolationAsync(IPage page, List<string> console)
    {
        // Violations are reported asynchronously: give the event loop a moment.
        await page.WaitForTimeoutAsync(100);
        var violations = await page.EvaluateAsync<string[]>("window.__csp || []");
        var inline = await page.EvaluateAsync<string[]>(InlineMarkup);
        Assert.True(violations.Length == 0 && console.Count == 0 && inline.Length == 0,
            $"{page.Url}: CSP violations [{string.Join("; ", violations)}] console [{string.Join("; ", console)}] inline markup [{string.Join("; ", inline)}]");
    }

    [Fact]
    public async Task Every_console_page_a_demo_producer_can_reach_loads_without_a_CSP_violation()
    {
        await using var s = await OpenAsync();
        var page = s.Page;
        var origin = new Uri(fixture.App.BaseUrl);
        var queue = new Queue<string>(["/console"]);
        var seen = new HashSet<string>(StringComparer.Ordinal) { "/console" };
        var visited = new List<string>();
        while (queue.Count > 0 && visited.Count < MaxPages)
        {
            var url = queue.Dequeue();
            var response = await page.GotoAsync(url);
            Assert.True(response is { Ok: true }, $"{url}: {response?.Status}");
            await AssertNoViolationAsync(page, s.CspMessages);
            visited.Add(url);
            foreach (var href in await page.EvaluateAsync<string[]>("[...document.querySelectorAll('a[href]')].map(a => a.href)"))
            {
                var target = new Uri(href);
                var local = target.PathAndQuery;
                // Console pages only (the public lookup pages have a policy of their own), no downloads.
                if (target.Authority != origin.Authority || !target.AbsolutePath.StartsWith("/console", StringComparison.Ordinal)
                    || Download().IsMatch(target.AbsolutePath) || target.Query.Contains("lang=", StringComparison.Ordinal)) continue;
                if (seen.Add(local)) queue.Enqueue(local);
            }
        }

        // Pages reached only through a form: the label sheet, an import job; and the English pages.
        await page.GotoAsync("/console/labels");
        var lot = (await page.Locator("#f-lot option[value*=':']").First.GetAttributeAsync("value"))!;
        foreach (var extra in new[] { $"/console/labels/sheet?lot={Uri.EscapeDataString(lot)}&count=20", "/console/products?lang=en", "/console/lots?lang=vi" })
        {
            await page.GotoAsync(extra);
            await AssertNoViolationAsync(page, s.CspMessages);
            visited.Add(extra);
        }
        await page.GotoAsync("/console/import");
        await page.Locator("#f-file").SetInputFilesAsync(new FilePayload
        {
            Name = "nhap.csv", MimeType = "text/csv",
            Buffer = "gtin,lot,bizStep,eventTime,location,quantity,uom,inputGtin,inputLot,note\n08930000000000,X,harvest,2026-11-20T07:30,NOWHERE,1,KGM,,,\n"u8.ToArray(),
        });
        await page.Locator("form[action='/console/import'] button[type=submit]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/console/import/[^/]+$"));
        await AssertNoViolationAsync(page, s.CspMessages);
        visited.Add(new Uri(page.Url).AbsolutePath);

        // The crawl reached every kind of console page (so passing is not for want of pages).
        string[] kinds = [@"^/console$", "^/console/products$", "^/console/products/new$", "^/console/products/[0-9]{14}/edit$",
            "^/console/locations$", "^/console/locations/new$", "^/console/lots$", "^/console/lots/new", "^/console/lots/[0-9]{14}/[^/]+/recall$",
            "^/console/lots/[0-9]{14}/[^/]+/portal$", "^/console/lots/[0-9]{14}/[^/]+$", "^/console/events/new", "^/console/transform$", "^/console/labels", "^/console/labels/sheet",
            "^/console/import$", "^/console/import/[^/]+$", "^/console/contact$", "^/console/users$"];
        var missing = kinds.Where(k => !visited.Any(v => Regex.IsMatch(v.Split('?')[0], k))).ToList();
        Assert.True(missing.Count == 0, $"not reached: {string.Join(", ", missing)}; visited: {string.Join(", ", visited)}");
    }

    [Fact]
    public async Task On_a_phone_the_dashboard_lot_page_and_import_errors_fit_360_px_with_no_CSP_violation_or_serious_axe_finding()
    {
        await using var s = await OpenAsync(360, 740);
        var page = s.Page;

        async Task AssertFitsAsync()
        {
            await AssertNoViolationAsync(page, s.CspMessages);
            await ConsoleBrowserTests.AssertAccessibleAsync(page);
            var (scroll, width) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("window.innerWidth"));
            Assert.True(scroll <= width, $"{page.Url}: {scroll} px wide in a {width} px window");
        }

        // The dashboard (the demo producer has lots, events and scans).
        await page.GotoAsync("/console");
        await AssertFitsAsync();
        await Assertions.Expect(page.Locator("#lots-month")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#sync-waiting")).ToBeVisibleAsync();
        Assert.Matches("^[0-9.,]+\\+?$", (await page.Locator("#events-month").InnerTextAsync()).Trim());

        // A lot page, from the lots list's link.
        await page.GotoAsync("/console/lots");
        await page.Locator("a[href^='/console/lots/']", new() { HasText = "Trang lô" }).First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/console/lots/[0-9]{14}/[^/]+$"));
        await AssertFitsAsync();
        await Assertions.Expect(page.Locator("img.lot-qr")).ToBeVisibleAsync();
        Assert.Equal(200, await page.EvaluateAsync<int>("fetch(document.querySelector('img.lot-qr').src).then(r => r.status)"));

        // An import with two bad rows: each row's number, column and reason first, on a phone.
        await page.GotoAsync("/console/import");
        await page.Locator("#f-file").SetInputFilesAsync(new FilePayload
        {
            Name = "loi.csv", MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes("gtin,lot,bizStep,eventTime,location,quantity,uom,inputGtin,inputLot,note\n" +
                "08930000000000,X,thu hoạch,2026-11-20T07:30,NOWHERE,1,KGM,,,Một ghi chú dài để thử xem dòng có tràn ra ngoài màn hình điện thoại hay không\n" +
                "08930000000000,Y,phơi khô,31/02/2026,,năm,KGM,,,\n"),
        });
        await page.Locator("form[action='/console/import'] button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#row-3 th .row-errors")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await AssertFitsAsync();
        var first = await page.Locator("#row-3 th").InnerTextAsync();
        Assert.Contains("Dòng 3", first);
        Assert.Contains("bizStep: Công đoạn không rõ", first);
        Assert.Contains("quantity: Số lượng không hợp lệ", first);
        Assert.Contains("Dòng 2", await page.Locator("#row-2 th").InnerTextAsync());
    }

    [Fact]
    public async Task The_use_my_position_button_shows_and_fills_the_coordinates()
    {
        await using var s = await OpenAsync();
        await s.Page.GotoAsync("/console/locations/new");
        var here = s.Page.GetByRole(AriaRole.Button, new() { Name = "Dùng vị trí hiện tại" });
        await Assertions.Expect(here).ToBeVisibleAsync();
        await here.ClickAsync();
        await Assertions.Expect(s.Page.GetByLabel("Vĩ độ")).ToHaveValueAsync(new Regex(@"^21\.8236"));
        await Assertions.Expect(s.Page.GetByLabel("Kinh độ")).ToHaveValueAsync(new Regex(@"^105\.228"));
        await AssertNoViolationAsync(s.Page, s.CspMessages);
    }

    [Fact]
    public async Task Twenty_labels_print_on_two_A4_pages_with_QR_codes_at_least_25_mm_wide_that_decode_to_the_lot()
    {
        await using var s = await OpenAsync();
        var page = s.Page;
        await page.GotoAsync("/console/labels");
        var lot = (await page.Locator("#f-lot option[value*=':']").First.GetAttributeAsync("value"))!;
        await page.GetByLabel("Lô hàng").SelectOptionAsync(lot);
        await page.GetByLabel("Loại tem").SelectOptionAsync("lot"); // one code for the lot (signed labels: ConsoleFlowTests)
        await page.GetByLabel("Số tem").FillAsync("20");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tạo tờ tem" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/console/labels/sheet"));
        await Assertions.Expect(page.Locator(".label")).ToHaveCountAsync(20);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "In" })).ToBeVisibleAsync();
        await AssertNoViolationAsync(page, s.CspMessages);

        var pdf = await page.PdfAsync(new() { Format = "A4", PreferCSSPageSize = true, PrintBackground = true });
        using (var document = PdfDocument.Open(pdf))
        {
            Assert.Equal(2, document.NumberOfPages);
            var lotNumber = lot[15..];
            var perPage = document.GetPages().Select(p => Regex.Count(p.Text, Regex.Escape(lotNumber))).ToList();
            Assert.Equal([18, 2], perPage); // each label prints its lot number once; the screen-only heading is hidden
            var a4 = document.GetPage(1);
            Assert.InRange(a4.Width, 594, 596); // 210 mm in points
            Assert.InRange(a4.Height, 841, 843); // 297 mm
        }

        // As printed: 96 CSS px per inch, so 25 mm = 94.5 px.
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        var qr = await page.Locator(".qr").First.BoundingBoxAsync();
        Assert.True(qr is { Width: >= 94.5f, Height: >= 94.5f }, $"QR code {qr?.Width} x {qr?.Height} px, at least 94.5 (25 mm)");

        // The printed code, as a phone would read it: a screenshot through the host's own decoder.
        var shot = await page.Locator(".label").First.ScreenshotAsync();
        using var http = new HttpClient { BaseAddress = new Uri(fixture.App.BaseUrl) };
        using var body = new ByteArrayContent(shot);
        body.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var decoded = await (await http.PostAsync("/api/v1/qr/decode", body)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal($"https://truyxuat.example.vn/01/{lot[..14]}/10/{Uri.EscapeDataString(lot[15..])}", (string?)decoded?["text"]);
    }

    [GeneratedRegex(@"\.(csv|xlsx)$")]
    private static partial Regex Download();
}
