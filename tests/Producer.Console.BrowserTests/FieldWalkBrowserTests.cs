using System.Net;
using Deque.AxeCore.Playwright;

namespace Traceability.ProducerConsole.BrowserTests;

/// <summary>
/// Issue 21's "done when": each of the three users' main task on a 360×740 phone, in Debian's
/// chromium against the real host — the producer (own account, a lot, harvest and shipping, labels),
/// the shopper (the lot's page from its Digital Link, a report), the inspector (the /inspect app
/// verifies a code) — failing on any CSP violation, any English UI sentence on a Vietnamese screen and
/// any serious or critical axe-core finding.
/// </summary>
public sealed partial class FieldWalkBrowserTests(LiveAppFixture fixture) : IClassFixture<LiveAppFixture>
{
    // The screen's own text: without scripts, styles and whatever is marked as another language (the "English" switch).
    private const string VietnameseScreenText =
        "(() => { const c = document.body.cloneNode(true); c.querySelectorAll('script, style, template, [lang]:not([lang^=vi])').forEach(e => e.remove()); " +
        "return c.textContent + ' ' + [...document.querySelectorAll('input[placeholder], textarea[placeholder]')].map(e => e.placeholder).join(' ') + ' ' + " +
        "[...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label')).join(' '); })()";

    private static Task<BrowserWindow> PhoneAsync(IPlaywright playwright, string baseUrl) =>
        BrowserWindow.OpenAsync(baseUrl, BrowserWindow.Phone(), playwright);

    /// <summary>
    /// No CSP violation, no English UI words, no serious or critical axe finding, and no sideways
    /// scrolling — except on the label sheet, which is an A4 page laid out for the printer.
    /// </summary>
    private static async Task AssertFitAsync(BrowserWindow phone, bool printPage = false)
    {
        var page = phone.Page;
        await page.WaitForLoadStateAsync(LoadState.Load);
        await page.WaitForTimeoutAsync(150); // violations are reported asynchronously
        var violations = await phone.ViolationsAsync();
        Assert.True(violations.Length == 0 && phone.CspMessages.Count == 0,
            $"{page.Url}: CSP violations [{string.Join("; ", violations)}] console [{string.Join("; ", phone.CspMessages)}]");

        var text = await page.EvaluateAsync<string>(VietnameseScreenText);
        var english = EnglishUiWords().Matches(text).Select(m => m.Value).Distinct().ToList();
        Assert.True(english.Count == 0, $"{page.Url}: English on a Vietnamese screen: {string.Join(", ", english)}");

        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0 || printPage, $"{page.Url} scrolls sideways by {overflow}px on a 360 px phone");

        var axe = await page.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html).Take(3))}").ToList();
        Assert.True(serious.Count == 0, $"axe-core on {page.Url}:\n" + string.Join("\n", serious));
    }

    /// <summary>English UI words and phrases a Vietnamese screen must not show (data such as "VietGAP" or a GTIN is not UI).</summary>
    [GeneratedRegex(@"\b(Sign in|Sign out|Save|Submit|Cancel|Welcome|Products?|Locations?|Labels?|Print|Record|Report|Thank you|Verify|Verified|Scan|Loading|Error|Required|Back|Home|Password|Accounts?|Lots?|Search|Send|Choose|Please|Not found|Too many|Expired|Recalled|Registered|Invalid|Offline|Online|Settings|Harvest|Shipping|Quantity|Unit|Date|Time)\b")]
    private static partial Regex EnglishUiWords();

    [Fact]
    public async Task Producer_shopper_and_inspector_each_do_their_main_task_on_a_phone_in_Vietnamese_with_no_CSP_or_serious_axe_finding()
    {
        Assert.SkipUnless(DebianChromium.Installed, DebianChromium.Missing);
        var app = fixture.App;
        var (key, prefix) = await app.NewProducerAsync();
        var login = $"0{Random.Shared.NextInt64(300000000, 999999999)}";
        var created = await app.ClientWithKey(key).PostAsJsonAsync("/api/v1/producers/me/users", new { login, name = "Hoàng Thị Lan", role = "staff" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var temporary = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["temporaryPassword"]!;
        using var playwright = await Playwright.CreateAsync();

        // 1. The producer, with her own account.
        var producer = await PhoneAsync(playwright, app.BaseUrl);
        await using (producer)
        {
            var page = producer.Page;
            await page.GotoAsync("/console");
            await AssertFitAsync(producer);
            await page.GetByLabel("E-mail hoặc số điện thoại").FillAsync(login);
            await page.Locator("#f-password").FillAsync(temporary); // "Mật khẩu" (its label also names the other password fields' prefix)
            await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập", Exact = true }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/console/password$"));
            await AssertFitAsync(producer);
            await page.GetByLabel("Mật khẩu hiện tại").FillAsync(temporary);
            await page.Locator("#f-password").FillAsync("che-shan-tuyet-na-hang");
            await page.GetByLabel("Nhập lại mật khẩu mới").FillAsync("che-shan-tuyet-na-hang");
            await page.GetByRole(AriaRole.Button, new() { Name = "Đổi mật khẩu" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/console\\?password=changed$"));
            await AssertFitAsync(producer);

            var gtin14 = StandaloneApp.Gtin13(prefix, 1).PadLeft(14, '0');
            await page.GotoAsync("/console/products/new");
            await page.GetByLabel("GTIN").FillAsync(gtin14[1..]);
            await page.GetByLabel("Tên tiếng Việt").FillAsync("Chè Shan tuyết Na Hang");
            // A real list of standards: as a table row it pushed the products page sideways on a phone.
            await page.Locator("#f-standards").FillAsync("VietGAP, OCOP 4 sao, Chỉ dẫn địa lý Na Hang, Hữu cơ TCVN 11041");
            await AssertFitAsync(producer);
            await page.GetByRole(AriaRole.Button, new() { Name = "Lưu" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/console/products$"));
            await AssertFitAsync(producer);

            await page.GotoAsync("/console/locations/new");
            await page.GetByLabel("Tên địa điểm").FillAsync("Vùng chè Sinh Long");
            await page.GetByLabel("Mã địa điểm").FillAsync("VT-SINHLONG");
            await page.GetByLabel("Loại").SelectOptionAsync("growing_area");
            await AssertFitAsync(producer);
            await page.GetByRole(AriaRole.Button, new() { Name = "Lưu" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/console/locations$"));

            await page.GotoAsync("/console/lots/new");
            await page.GetByLabel("Sản phẩm").SelectOptionAsync(gtin14);
            await page.GetByLabel("Số lô").FillAsync("NH-2611");
            await page.GetByLabel("Hạn sử dụng").FillAsync("2027-11-20");
            await page.GetByLabel("Nơi sản xuất / vùng trồng").SelectOptionAsync("VT-SINHLONG");
            await AssertFitAsync(producer);
            await page.GetByRole(AriaRole.Button, new() { Name = "Lưu" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/console/lots$"));
            await AssertFitAsync(producer);

            string[] steps = ["Thu hoạch", "Vận chuyển"];
            for (var i = 0; i < steps.Length; i++)
            {
                await ConsoleBrowserTests.FillEventAsync(page, $"{gtin14}:NH-2611", steps[i], "VT-SINHLONG", "300", $"2026-11-2{i}T08:00");
                await AssertFitAsync(producer);
                await page.GetByRole(AriaRole.Button, new() { Name = "Ghi sự kiện", Exact = true }).ClickAsync();
                await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(steps[i]);
                await AssertFitAsync(producer);
            }

            await page.GotoAsync("/console/labels");
            await page.GetByLabel("Lô hàng").SelectOptionAsync($"{gtin14}:NH-2611");
            await page.GetByLabel("Số tem").FillAsync("18");
            await AssertFitAsync(producer);
            await page.GetByRole(AriaRole.Button, new() { Name = "Tạo tờ tem" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/console/labels/sheet"));
            await Assertions.Expect(page.Locator(".label")).ToHaveCountAsync(18);
            await AssertFitAsync(producer, printPage: true);

            var events = await app.ClientWithKey(key).GetFromJsonAsync<JsonObject>($"/epcis/events?MATCH_epcClass=https://id.gs1.org/01/{gtin14}/10/NH-2611");
            Assert.Equal(["commissioning", "shipping"], events!["epcisBody"]!["queryResults"]!["resultsBody"]!["eventList"]!.AsArray()
                .Select(e => (string)e!["bizStep"]!).Order());

            // 2. The shopper: the lot's Digital Link, as the phone's camera opens it; a report.
            var shopper = await PhoneAsync(playwright, app.BaseUrl);
            await using (shopper)
            {
                var s = shopper.Page;
                await s.GotoAsync($"/01/{gtin14}/10/NH-2611");
                await Assertions.Expect(s.Locator("h1")).ToHaveTextAsync("Chè Shan tuyết Na Hang");
                await Assertions.Expect(s.Locator("ol.timeline")).ToContainTextAsync("Vùng chè Sinh Long");
                await AssertFitAsync(shopper);
                await s.SelectOptionAsync("#r-cat", "safety");
                await s.FillAsync("#r-msg", "Gói chè bị ẩm mốc");
                await s.ClickAsync("#report button[type=submit]");
                await Assertions.Expect(s.Locator("#reference")).ToBeVisibleAsync();
                await AssertFitAsync(shopper);
            }

            // 3. The inspector: the /inspect app verifies the code typed from a label.
            var inspectorKey = (await app.RegisterInspectorAsync("Phạm Văn Kiểm", "QLTT Tuyên Quang")).ApiKey;
            var inspector = await PhoneAsync(playwright, app.BaseUrl);
            await using (inspector)
            {
                var p = inspector.Page;
                await p.GotoAsync("/inspect/");
                await AssertFitAsync(inspector);
                await p.Locator("#key").FillAsync(inspectorKey);
                await p.Locator("#key-form button").ClickAsync();
                await p.Locator("#code").FillAsync($"{app.BaseUrl}/01/{gtin14}/10/NH-2611");
                await p.Locator("#manual button[type=submit]").ClickAsync();
                await Assertions.Expect(p.Locator("#verdict")).ToHaveAttributeAsync("data-verdict", "registered");
                await AssertFitAsync(inspector);
            }
        }
    }
}
