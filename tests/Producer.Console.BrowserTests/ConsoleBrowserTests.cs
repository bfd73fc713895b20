using Deque.AxeCore.Playwright;

namespace Traceability.ProducerConsole.BrowserTests;

/// <summary>
/// The console in Debian's chromium through Playwright, on a phone-sized and a desktop window, with
/// an axe-core accessibility check of every page visited (no serious or critical violation).
/// </summary>
public sealed class ConsoleBrowserTests(LiveAppFixture fixture) : IClassFixture<LiveAppFixture>
{
    private static void RequireChromium() => Assert.SkipUnless(DebianChromium.Installed, DebianChromium.Missing);

    internal static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html).Take(3))}").ToList();
        Assert.True(serious.Count == 0, $"axe-core on {page.Url}:\n" + string.Join("\n", serious));
    }

    private async Task<BrowserWindow> OpenAsync(int width, int height) =>
        await BrowserWindow.OpenAsync(fixture.App.BaseUrl, BrowserWindow.Sized(width, height));

    /// <summary>Fills the event form as a producer does: the lot, the step, where, how many kilograms, when (Vietnam time).</summary>
    internal static async Task FillEventAsync(IPage page, string lot, string step, string location, string kilograms, string time)
    {
        await page.GotoAsync("/console/events/new");
        await page.GetByLabel("Lô hàng").SelectOptionAsync(lot);
        await page.GetByLabel(step, new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Địa điểm").SelectOptionAsync(location);
        await page.GetByLabel("Số lượng").FillAsync(kilograms);
        await page.GetByLabel("Đơn vị").SelectOptionAsync("KGM");
        await page.GetByLabel("Thời gian (giờ Việt Nam)").FillAsync(time);
    }

    private static async Task SignInAsync(IPage page, string key)
    {
        await page.GotoAsync("/console");
        await AssertAccessibleAsync(page);
        await page.GetByLabel("Khoá nhà sản xuất").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập bằng khoá" }).ClickAsync();
        await ArriveAtAsync(page, "/console$");
    }

    /// <summary>
    /// Waits until the page is at an address matching <paramref name="pattern"/> and has loaded. Not
    /// <c>WaitForURLAsync</c>: it checks the load state, then subscribes to it, and can miss the event
    /// delivered in between (microsoft/playwright-dotnet#3364), which hung a CI run for 90 s.
    /// </summary>
    private static async Task ArriveAtAsync(IPage page, string pattern)
    {
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(pattern), new() { Timeout = 90_000 });
        // A missed load state is still recorded, so a short wait that timed out finds it when asked again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await page.WaitForLoadStateAsync(LoadState.Load, new() { Timeout = 3_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 30) { }
        }
    }

    [Fact]
    public async Task On_a_phone_a_producer_registers_a_lot_records_harvest_packing_shipping_and_prints_labels()
    {
        RequireChromium();
        var (key, prefix) = await fixture.App.NewProducerAsync();
        await using var window = await OpenAsync(360, 640);
        var page = window.Page;
        await SignInAsync(page, key);
        await AssertAccessibleAsync(page);

        var gtin = StandaloneApp.Gtin13(prefix, 1);
        await page.GotoAsync("/console/products/new");
        await page.GetByLabel("GTIN").FillAsync(gtin);
        await page.GetByLabel("Tên tiếng Việt").FillAsync("Chè Shan tuyết Na Hang");
        await page.GetByLabel("Tiêu chuẩn áp dụng").FillAsync("VietGAP, OCOP 4 sao");
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu" }).ClickAsync();
        await ArriveAtAsync(page, "/console/products$");
        // On a phone the list is a card per product; each cell's label (CSS generated content) is part of its accessible name.
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Tên: Chè Shan tuyết Na Hang", Exact = true })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);

        await page.GotoAsync("/console/locations/new");
        await page.GetByLabel("Tên địa điểm").FillAsync("Vùng chè Sinh Long");
        await page.GetByLabel("Mã địa điểm").FillAsync("VT-SINHLONG");
        await page.GetByLabel("Loại").SelectOptionAsync("growing_area");
        await page.GetByLabel("Vĩ độ").FillAsync("22.3521");
        await page.GetByLabel("Kinh độ").FillAsync("105.3890");
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu" }).ClickAsync();
        await ArriveAtAsync(page, "/console/locations$");
        await AssertAccessibleAsync(page);

        var gtin14 = gtin.PadLeft(14, '0');
        await page.GotoAsync("/console/lots/new");
        await page.GetByLabel("Sản phẩm").SelectOptionAsync(gtin14);
        await page.GetByLabel("Số lô").FillAsync("SL-2611-01");
        await page.GetByLabel("Hạn sử dụng").FillAsync("2027-11-20");
        await page.GetByLabel("Nơi sản xuất / vùng trồng").SelectOptionAsync("VT-SINHLONG");
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu" }).ClickAsync();
        await ArriveAtAsync(page, "/console/lots$");
        await Assertions.Expect(page.GetByText("Đang lưu hành")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);

        string[] steps = ["Thu hoạch", "Đóng gói", "Vận chuyển"];
        for (var i = 0; i < steps.Length; i++)
        {
            await FillEventAsync(page, $"{gtin14}:SL-2611-01", steps[i], "VT-SINHLONG", "500", $"2026-11-2{i}T08:00");
            if (i == 0) await AssertAccessibleAsync(page);
            await page.GetByRole(AriaRole.Button, new() { Name = "Ghi sự kiện", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(steps[i]);
        }
        await AssertAccessibleAsync(page);

        var body = await fixture.App.ClientWithKey(key).GetFromJsonAsync<JsonObject>(
            $"/epcis/events?MATCH_epcClass=https://id.gs1.org/01/{gtin14}/10/SL-2611-01");
        var bizSteps = body!["epcisBody"]!["queryResults"]!["resultsBody"]!["eventList"]!.AsArray()
            .Select(e => (string)e!["bizStep"]!).Order().ToList();
        Assert.Equal(["commissioning", "packing", "shipping"], bizSteps);

        // The public page of that lot, as a Vietnamese phone opens it from the QR code: the origin, then the three steps, in Vietnamese.
        await page.SetExtraHTTPHeadersAsync(new Dictionary<string, string> { ["Accept-Language"] = "vi-VN,vi;q=0.9" });
        await page.GotoAsync($"/01/{gtin14}/10/SL-2611-01");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Hành trình sản phẩm" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("ol.timeline li strong")).ToHaveTextAsync(["Xuất xứ", "Thu hoạch / sản xuất", "Đóng gói", "Xuất hàng"]);
        await page.SetExtraHTTPHeadersAsync(new Dictionary<string, string>());

        await page.GotoAsync("/console/labels");
        await page.GetByLabel("Lô hàng").SelectOptionAsync($"{gtin14}:SL-2611-01");
        await page.GetByLabel("Số tem").FillAsync("18");
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Tạo tờ tem" }).ClickAsync();
        await ArriveAtAsync(page, "/console/labels/sheet");
        await Assertions.Expect(page.Locator(".label")).ToHaveCountAsync(18);
        await Assertions.Expect(page.Locator(".label").First).ToContainTextAsync("HSD: 20/11/2027");
        var box = await page.Locator(".qr").First.BoundingBoxAsync();
        Assert.True(box is { Width: > 80 }, "the QR code is drawn at print size");
        await AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task On_a_desktop_a_wrong_GTIN_is_shown_beside_the_field_and_a_post_without_the_token_is_refused()
    {
        RequireChromium();
        var (key, prefix) = await fixture.App.NewProducerAsync();
        await using var window = await OpenAsync(1280, 800);
        var page = window.Page;
        await SignInAsync(page, key);

        var good = StandaloneApp.Gtin13(prefix, 7);
        var wrong = good[..^1] + (char)('0' + (good[^1] - '0' + 1) % 10);
        await page.GotoAsync("/console/products/new");
        await page.GetByLabel("GTIN").FillAsync(wrong);
        await page.GetByLabel("Tên tiếng Việt").FillAsync("Sâm Lai Châu");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lưu" }).ClickAsync();
        var error = page.Locator("#f-gtin-error");
        await Assertions.Expect(error).ToContainTextAsync("Số kiểm tra của GTIN sai");
        await Assertions.Expect(page.GetByLabel("GTIN")).ToHaveAttributeAsync("aria-invalid", "true");
        var field = await page.GetByLabel("GTIN").BoundingBoxAsync();
        var message = await error.BoundingBoxAsync();
        Assert.True(message!.Y >= field!.Y + field.Height && message.Y - (field.Y + field.Height) < 40, "the message sits right under the field");
        await AssertAccessibleAsync(page);

        // A cross-site style post: the form without its hidden token.
        await page.EvaluateAsync("document.querySelector('form[action=\"/console/products/new\"] input[name=__csrf]').remove()");
        await page.GetByLabel("GTIN").FillAsync(good);
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Lưu" }).ClickAsync(), r => r.Url.EndsWith("/console/products/new", StringComparison.Ordinal));
        Assert.Equal(400, response.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("mã bảo vệ");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await fixture.App.ClientWithKey(key).GetAsync($"/api/v1/products/{good}")).StatusCode);
    }
}
