namespace Traceability.ProducerConsole.Tests;

public sealed class ConsoleFlowTests(ConsoleAppFixture fixture) : IClassFixture<ConsoleAppFixture>
{
    private ConsoleApp App => fixture.App;

    [Fact]
    public async Task The_event_forms_units_are_named_in_the_readers_language()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        await SetUpLotAsync(producer, browser, "DV-01");
        var vi = await browser.GetPageAsync("/console/events/new?lang=vi");
        Assert.Contains("<option value=\"XCT\">thùng carton</option>", vi);
        Assert.Contains("<option value=\"XBG\">bao / túi</option>", vi);
        var en = await browser.GetPageAsync("/console/events/new?lang=en");
        Assert.Contains("<option value=\"XCT\">carton</option>", en);
        Assert.Contains("<option value=\"TNE\">tonne</option>", en);
    }

    /// <param name="photo">A PNG uploaded with the product, when given.</param>
    internal static async Task<(string Gtin14, string Lot)> SetUpLotAsync(Producer producer, Browser browser, string lot = "CS-2611A", byte[]? photo = null)
    {
        var gtin = producer.NewGtin();
        var product = photo is not null
            ? await browser.SubmitFormAsync("/console/products/new", "/console/products/new", RecallAndImageTests.ProductForm(gtin, photo, "cam.png", "image/png"))
            : await browser.SubmitAsync("/console/products/new", "/console/products/new", new()
            {
                ["gtin"] = gtin, ["name.vi"] = "Cam sành Hàm Yên", ["name.en"] = "Ham Yen king orange", ["brand"] = "Hàm Yên",
                ["standards"] = "VietGAP, OCOP 4 sao", ["unit"] = "hộp",
            });
        Assert.Equal(HttpStatusCode.Redirect, product.StatusCode);
        foreach (var (code, name, kind) in new[] { ("VT-PHULUU", "Vùng trồng Phù Lưu", "growing_area"), ("SC-HAMYEN", "Cơ sở sơ chế Hàm Yên", "processing") })
        {
            var location = await browser.SubmitAsync("/console/locations/new", "/console/locations/new", new()
            {
                ["code"] = code, ["name"] = name, ["kind"] = kind, ["province"] = "Tuyên Quang", ["latitude"] = "21,8236", ["longitude"] = "105.228",
            });
            Assert.Equal(HttpStatusCode.Redirect, location.StatusCode);
        }
        var gtin14 = gtin.PadLeft(14, '0');
        var created = await browser.SubmitAsync("/console/lots/new", "/console/lots/new", new()
        {
            ["gtin"] = gtin14, ["lot"] = lot, ["productionDate"] = "2026-11-20", ["expiryDate"] = "2026-12-20",
            ["quantity"] = "1200", ["uom"] = "hộp", ["originLocation"] = "VT-PHULUU",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        return (gtin14, lot);
    }

    internal static async Task RecordAsync(Browser browser, string gtin14, string lot, string step, string location, string time, string quantity = "400")
    {
        var response = await browser.SubmitAsync("/console/events/new", "/console/events/new", new()
        {
            ["lot"] = $"{gtin14}:{lot}", ["step"] = step, ["location"] = location, ["quantity"] = quantity, ["uom"] = "KGM",
            ["time"] = time, ["note"] = "Ghi từ điện thoại",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("done=" + step, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Console_pages_need_sign_in_and_a_wrong_key_is_refused()
    {
        var anonymous = App.CreateClient(new() { AllowAutoRedirect = false });
        var response = await anonymous.GetAsync("/console/products");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/console/signin", response.Headers.Location!.PathAndQuery);

        var browser = new Browser(App.CreateClient(new() { AllowAutoRedirect = false }));
        var wrong = await browser.SubmitAsync("/console/signin", "/console/signin", new() { ["key"] = "trc_abc_wrongsecret" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("Khoá không đúng", await wrong.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Signed_in_producer_sees_the_console_in_Vietnamese_and_in_English_on_request()
    {
        var browser = await (await App.NewProducerAsync()).SignInAsync();
        var vi = await browser.GetPageAsync("/console/products");
        Assert.Contains("<html lang=\"vi\">", vi);
        Assert.Contains("Thêm sản phẩm", vi);
        var en = await browser.GetPageAsync("/console/products?lang=en");
        Assert.Contains("Add a product", en);
        Assert.Contains("Add a product", await browser.GetPageAsync("/console/products")); // remembered in a cookie
    }

    [Fact]
    public async Task Sign_in_cookie_is_HttpOnly_and_SameSite_strict_and_sign_out_ends_the_session()
    {
        var producer = await App.NewProducerAsync();
        var browser = new Browser(App.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false }));
        var page = await browser.Client.GetAsync("/console/signin");
        var cookies = page.Headers.GetValues("Set-Cookie").ToList();
        var token = Browser.TokenOf(await page.Content.ReadAsStringAsync());
        var request = new HttpRequestMessage(HttpMethod.Post, "/console/signin")
        {
            Content = new FormUrlEncodedContent([new("key", producer.Key), new("__csrf", token)]),
        };
        request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Split(';')[0])));
        var signedIn = await browser.Client.SendAsync(request);
        var session = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("console_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(producer.Key, session);

        var signedInBrowser = await producer.SignInAsync();
        var home = await signedInBrowser.GetPageAsync("/console");
        var signOut = await signedInBrowser.Client.PostAsync("/console/signout",
            new FormUrlEncodedContent([new("__csrf", Browser.TokenOf(home))]));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await signedInBrowser.Client.GetAsync("/console/products")).StatusCode);
    }

    [Fact]
    public async Task Harvest_packing_and_shipping_recorded_in_the_console_are_EPCIS_events()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var (gtin14, lot) = await SetUpLotAsync(producer, browser);

        await RecordAsync(browser, gtin14, lot, "harvest", "VT-PHULUU", "2026-11-20T07:30", "1200");
        await RecordAsync(browser, gtin14, lot, "packing", "SC-HAMYEN", "2026-11-21T09:00");
        await RecordAsync(browser, gtin14, lot, "shipping", "SC-HAMYEN", "2026-11-21T14:00");

        var lots = await browser.GetPageAsync("/console/lots");
        Assert.Matches($"<a href=\"/01/{gtin14}/10/{lot}\">{lot}</a>", lots);
        Assert.Contains("Đang lưu hành", lots);
        Assert.Contains("Chờ gửi", lots); // the lot waits in the outbox for the national portal

        var events = await Epcis.QueryAllAsync(producer.Api, "MATCH_epcClass=" + Epcis.ClassUri(gtin14, lot));
        var ordered = events.OrderBy(e => (string)e["eventTime"]!).ToList();
        Assert.Equal(["commissioning", "packing", "shipping"], ordered.Select(e => (string)e["bizStep"]!));
        Assert.Equal("ADD", (string)ordered[0]["action"]!);
        Assert.Equal(["active", "in_progress", "in_transit"], ordered.Select(e => (string)e["disposition"]!));
        Assert.All(ordered, e => Assert.Equal("+07:00", (string)e["eventTimeZoneOffset"]!));
        Assert.Equal(DateTimeOffset.Parse("2026-11-20T00:30:00Z"), DateTimeOffset.Parse((string)ordered[0]["eventTime"]!));
        Assert.Equal($"urn:x-traceability:loc:{producer.Id}:VT-PHULUU", (string)ordered[0]["bizLocation"]!["id"]!);
        Assert.Equal(1200m, (decimal)ordered[0]["quantityList"]![0]!["quantity"]!);
        Assert.Equal("Ghi từ điện thoại", (string)ordered[1]["trc:note"]!);
    }

    [Fact]
    public async Task Processing_combines_input_lots_into_an_output_lot()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var (gtin14, leaves) = await SetUpLotAsync(producer, browser, "LA-01");
        foreach (var lot in new[] { "LA-02", "TP-01" })
            Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync("/console/lots/new", "/console/lots/new",
                new() { ["gtin"] = gtin14, ["lot"] = lot })).StatusCode);
        var html = await browser.GetPageAsync("/console/transform");
        var response = await browser.Client.PostAsync("/console/transform", new FormUrlEncodedContent(
        [
            new("__csrf", Browser.TokenOf(html)), new("inputs", $"{gtin14}:{leaves}"), new("inputs", $"{gtin14}:LA-02"),
            new("lot", $"{gtin14}:TP-01"), new("location", "SC-HAMYEN"), new("quantity", "300"), new("uom", "KGM"), new("time", "2026-11-22T10:00"),
        ]));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var events = await Epcis.QueryAllAsync(producer.Api, "eventType=TransformationEvent&MATCH_anyEPCClass=" + Epcis.ClassUri(gtin14, "TP-01"));
        var transformation = Assert.Single(events);
        Assert.Equal([Epcis.ClassUri(gtin14, leaves), Epcis.ClassUri(gtin14, "LA-02")],
            transformation["inputQuantityList"]!.AsArray().Select(q => (string)q!["epcClass"]!).Order());
        Assert.Equal(Epcis.ClassUri(gtin14, "TP-01"), (string)transformation["outputQuantityList"]![0]!["epcClass"]!);
    }

    [Fact]
    public async Task A_wrong_GTIN_is_shown_beside_the_field_in_Vietnamese_and_nothing_is_saved()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var good = producer.NewGtin();
        var wrong = good[..^1] + (char)('0' + (good[^1] - '0' + 1) % 10);
        var response = await browser.SubmitAsync("/console/products/new", "/console/products/new", new() { ["gtin"] = wrong, ["name.vi"] = "Cam" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var field = Regex.Match(html, "<input id=\"f-gtin\"[^>]*>\\s*<p class=\"error\" id=\"f-gtin-error\">([^<]*)</p>");
        Assert.True(field.Success, "the error follows the GTIN input");
        Assert.Contains("Số kiểm tra của GTIN sai", field.Groups[1].Value);
        Assert.Contains("aria-describedby=\"f-gtin-hint f-gtin-error\" aria-invalid=\"true\"", html);
        Assert.Contains($"value=\"{wrong}\"", html); // what was typed is kept

        var foreign = "893999999999" + Traceability.Domain.Gs1.Gs1CheckDigit.Compute("893999999999");
        var outside = await browser.SubmitAsync("/console/products/new", "/console/products/new", new() { ["gtin"] = foreign, ["name.vi"] = "Cam" });
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        Assert.Contains("không thuộc mã doanh nghiệp GS1 của bạn", await outside.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await producer.Api.GetAsync($"/api/v1/products/{foreign}")).StatusCode);
    }

    [Fact]
    public async Task A_form_post_without_the_CSRF_token_is_refused_and_changes_nothing()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var gtin = producer.NewGtin();
        var response = await browser.SubmitAsync("/console/products/new", "/console/products/new",
            new() { ["gtin"] = gtin, ["name.vi"] = "Cam" }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("mã bảo vệ", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await producer.Api.GetAsync($"/api/v1/products/{gtin}")).StatusCode);

        var forged = await browser.Client.PostAsync("/console/products/new", new FormUrlEncodedContent(
            [new("gtin", gtin), new("name.vi", "Cam"), new("__csrf", "forged-token")]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await producer.Api.GetAsync($"/api/v1/products/{gtin}")).StatusCode);
    }

    [Fact]
    public async Task Signed_label_sheet_has_one_signed_serial_per_label_each_authentic_offline_and_online()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var (gtin14, lot) = await SetUpLotAsync(producer, browser);
        var form = await browser.GetPageAsync("/console/labels");
        Assert.Contains("<option value=\"signed\" selected>", form); // the default kind
        var response = await browser.SubmitAsync("/console/labels", "/console/labels/sheet",
            new() { ["lot"] = $"{gtin14}:{lot}", ["count"] = "20", ["kind"] = "signed" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var html = await response.Content.ReadAsStringAsync();
        var links = Regex.Matches(html, "aria-label=\"Mã QR ([^\"]+)\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(20, links.Count);
        Assert.Equal(20, links.Distinct().Count());
        Assert.Equal(20, Regex.Matches(html, "<symbol id=").Count);
        Assert.Equal(2, Regex.Matches(html, "<section class=\"sheet\">").Count);
        Assert.Contains("Số sê-ri: ", html);
        foreach (var link in links.Take(3))
        {
            Assert.StartsWith($"https://truyxuat.example.vn/01/{gtin14}/10/{lot}/21/", link);
            Assert.Contains("sig=", link);
            var verdict = await (await App.CreateClient().PostAsJsonAsync("/api/v1/verify", new { code = link })).Content.ReadFromJsonAsync<JsonObject>();
            Assert.Equal("authentic", (string?)verdict?["verdict"]);
        }

        // Lot labels from the same form go to the lot sheet; a wrong count or another producer's lot is refused on the form.
        var lotKind = await browser.SubmitAsync("/console/labels", "/console/labels/sheet",
            new() { ["lot"] = $"{gtin14}:{lot}", ["count"] = "5", ["kind"] = "lot" });
        Assert.Equal(HttpStatusCode.Redirect, lotKind.StatusCode);
        Assert.StartsWith("/console/labels/sheet?lot=", lotKind.Headers.Location!.OriginalString);
        var bad = await browser.SubmitAsync("/console/labels", "/console/labels/sheet", new() { ["lot"] = $"{gtin14}:{lot}", ["count"] = "0" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var other = await (await App.NewProducerAsync()).SignInAsync();
        var foreign = await other.SubmitAsync("/console/labels", "/console/labels/sheet", new() { ["lot"] = $"{gtin14}:{lot}", ["count"] = "2" });
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Contains("Hãy chọn một lô của bạn.", await foreign.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.SubmitAsync("/console/labels", "/console/labels/sheet",
            new() { ["lot"] = $"{gtin14}:{lot}", ["count"] = "2" }, withToken: false)).StatusCode);
    }

    [Fact]
    public async Task Label_sheet_repeats_the_lot_QR_code_with_name_lot_and_expiry()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var (gtin14, lot) = await SetUpLotAsync(producer, browser);
        var html = await browser.GetPageAsync($"/console/labels/sheet?lot={Uri.EscapeDataString(gtin14 + ":" + lot)}&count=20");
        Assert.Equal(20, Regex.Matches(html, "<div class=\"label\">").Count);
        Assert.Equal(2, Regex.Matches(html, "<section class=\"sheet\">").Count);
        Assert.Contains($"https://truyxuat.example.vn/01/{gtin14}/10/{lot}", html);
        Assert.Contains("HSD: 20/12/2026", html);
        Assert.Contains("Cam sành Hàm Yên", html);
        Assert.Contains("<symbol id=\"qr\" viewBox=", html);

        var api = await producer.Api.GetAsync($"/api/v1/lots/{gtin14}/{lot}/labels?count=3");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal(3, Regex.Matches(await api.Content.ReadAsStringAsync(), "<div class=\"label\">").Count);
        var other = await App.NewProducerAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await other.Api.GetAsync($"/api/v1/lots/{gtin14}/{lot}/labels?count=3")).StatusCode);
    }
}

/// <summary>One host for the class's tests; each test registers its own producer.</summary>
public sealed class ConsoleAppFixture : IDisposable
{
    public ConsoleApp App { get; } = new();

    public void Dispose() => App.Dispose();
}

public sealed class NextStepTests(ConsoleAppFixture fixture) : IClassFixture<ConsoleAppFixture>
{
    [Fact]
    public async Task After_a_harvest_the_event_form_offers_packing_and_keeps_the_lot()
    {
        var producer = await fixture.App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var (gtin14, lot) = await ConsoleFlowTests.SetUpLotAsync(producer, browser);
        var html = await browser.GetPageAsync($"/console/events/new?lot={Uri.EscapeDataString(gtin14 + ":" + lot)}&location=VT-PHULUU&done=harvest");
        Assert.Contains("role=\"status\">Đã ghi sự kiện: Thu hoạch", html);
        Assert.Contains("value=\"packing\" checked", html);
        Assert.Contains($"value=\"{gtin14}:{lot}\" selected", html);
    }
}
