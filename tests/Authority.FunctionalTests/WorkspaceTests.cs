namespace Traceability.Authority.FunctionalTests;

/// <summary>The authority workspace (/authority) and the public warnings page (/canh-bao), as a browser uses them.</summary>
public sealed partial class WorkspaceTests(AuthorityApp app) : IClassFixture<AuthorityApp>
{
    private static readonly string[] StaffPages = ["/authority", "/authority/producers", "/authority/producers/new", "/authority/audit",
        "/authority/complaints", "/authority/inspections"];

    [Fact]
    public async Task Without_a_session_every_page_sends_to_the_sign_in_form()
    {
        var browser = new StaffBrowser(app);
        foreach (var page in StaffPages)
        {
            var response = await browser.Client.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/authority/signin", response.Headers.Location!.PathAndQuery);
        }
    }

    [Fact]
    public async Task Producer_and_inspector_keys_get_403_on_every_page_and_cannot_sign_in()
    {
        var producer = await app.RegisterProducerAsync();
        var inspector = await app.RegisterInspectorAsync();
        foreach (var key in new[] { producer.ApiKey, inspector.ApiKey })
        {
            foreach (var page in StaffPages.Append($"/authority/producers/{producer.Id}"))
                Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientWithKey(key).GetAsync(page)).StatusCode);
            var signIn = await new StaffBrowser(app).SubmitAsync("/authority/signin", "signin", ("Key", key));
            Assert.Equal(HttpStatusCode.Forbidden, signIn.StatusCode);
        }
        // An admin bearer key opens the pages too (scripts, curl).
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().GetAsync("/authority/producers")).StatusCode);
    }

    [Fact]
    public async Task Signing_in_with_the_admin_key_opens_the_workspace_and_signing_out_closes_it()
    {
        var name = "HTX Cam sành " + Guid.NewGuid().ToString("N")[..6];
        await app.RegisterProducerAsync(name);
        var browser = new StaffBrowser(app);

        var wrong = await browser.SubmitAsync("/authority/signin?ReturnUrl=%2Fauthority%2Faudit", "signin", ("Key", "trc_nope_nope"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var response = await browser.SubmitAsync("/authority/signin?ReturnUrl=%2Fauthority%2Faudit", "signin", ("Key", AuthorityApp.AdminKey));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/authority/audit", response.Headers.Location!.PathAndQuery);
        Assert.Contains("authority_session", string.Join(";", response.Headers.GetValues("Set-Cookie")));

        var list = await browser.GetPageAsync("/authority/producers?q=" + Uri.EscapeDataString(name));
        Assert.Contains(name, WebUtility.HtmlDecode(list));

        var html = await browser.GetPageAsync("/authority/producers");
        var signOut = await browser.Client.PostAsync("/authority/signout",
            new FormUrlEncodedContent([new("__csrf", StaffBrowser.TokenOf(html))]));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Client.GetAsync("/authority/producers")).StatusCode);
    }

    [Fact]
    public async Task A_producer_registered_and_suspended_through_the_pages_shows_suspended_on_its_lot_and_in_the_audit_log()
    {
        var browser = new StaffBrowser(app);
        await browser.SignInAsync();
        var prefix = "8937" + Random.Shared.Next(100, 999);
        var taxCode = Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var invalid = await browser.SubmitAsync("/authority/producers/new", "register", ("Form.Name", "HTX Sâm"), ("Form.TaxCode", "12"));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("Mã số thuế gồm 10 chữ số", WebUtility.HtmlDecode(await invalid.Content.ReadAsStringAsync()));

        var created = await browser.SubmitAsync("/authority/producers/new", "register",
            ("Form.Name", "HTX Sâm Lai Châu"), ("Form.TaxCode", taxCode), ("Form.Province", "Lai Châu"),
            ("Form.Address", "Xã Tả Lèng"), ("Form.CompanyPrefixes", prefix));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var page = await created.Content.ReadAsStringAsync();
        var key = KeyShown().Match(page).Groups[1].Value;
        var id = ProducerLink().Match(page).Groups[1].Value;
        Assert.StartsWith("trc_", key);

        // The new producer works with the key it was given.
        var producer = new TestProducer(app.ClientWithKey(key), id, prefix, "HTX Sâm Lai Châu", taxCode);
        var gtin = await producer.RegisterProductAsync("Sâm Lai Châu");
        await producer.RegisterLotAsync(gtin, "SLC-01");
        Assert.Equal("active", await LotStatusAsync(gtin, "SLC-01"));

        var noReason = await browser.SubmitAsync($"/authority/producers/{id}", "status", ("Reason", ""));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var suspended = await browser.SubmitAsync($"/authority/producers/{id}", "status", ("Reason", "Sâm trồng ngoài vùng bị trộn vào lô"));
        Assert.Equal(HttpStatusCode.Redirect, suspended.StatusCode);
        Assert.Contains("badge suspended", await browser.GetPageAsync($"/authority/producers/{id}"));

        Assert.Equal("suspended", await LotStatusAsync(gtin, "SLC-01"));
        var verdict = await app.CreateClient().PostAsJsonAsync("/api/v1/verify", new { code = $"https://id.gs1.org/01/{gtin}/10/SLC-01" });
        Assert.Equal("suspended", (string)(await verdict.Content.ReadFromJsonAsync<JsonObject>())!["verdict"]!);

        var audit = WebUtility.HtmlDecode(await browser.GetPageAsync("/authority/audit"));
        Assert.Contains("Sâm trồng ngoài vùng bị trộn vào lô", audit);
        Assert.Contains($"producer:{id}", audit);
        Assert.Contains("key:admin-configured", audit);

        var reinstated = await browser.SubmitAsync($"/authority/producers/{id}", "status", ("Reason", "Đã khắc phục"));
        Assert.Equal(HttpStatusCode.Redirect, reinstated.StatusCode);
        Assert.Equal("active", await LotStatusAsync(gtin, "SLC-01"));
    }

    [Fact]
    public async Task Forms_without_the_anti_forgery_token_are_refused()
    {
        var browser = new StaffBrowser(app);
        await browser.SignInAsync();
        var response = await browser.Client.PostAsync("/authority/producers/new", new FormUrlEncodedContent(
            [new("_handler", "register"), new("Form.Name", "HTX"), new("Form.TaxCode", "0101234567")]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_public_warnings_page_lists_active_recalls_newest_first_in_Vietnamese_or_English()
    {
        var producer = await app.NewProducerAsync("HTX Chè");
        var gtin = await producer.RegisterProductAsync("Chè Shan tuyết Hà Giang");
        await producer.RegisterLotAsync(gtin, "CHE-<01>");
        (await app.Admin().PostAsJsonAsync("/api/v1/recalls", new { gtin, lots = new[] { "CHE-<01>" }, reason = "Dư lượng <b>thuốc</b>", severity = "high" }))
            .EnsureSuccessStatusCode();

        var response = await app.CreateClient().GetAsync("/canh-bao");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("style-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        var html = await response.Content.ReadAsStringAsync();
        var text = WebUtility.HtmlDecode(html);
        Assert.Contains("Cảnh báo sản phẩm", text);
        Assert.Contains("Chè Shan tuyết Hà Giang", text);
        Assert.Contains($"href=\"/01/{gtin}/10/CHE-%3C01%3E\"", html);
        // Encoded by the framework: the reason's markup is text, not tags.
        Assert.DoesNotContain("<b>thuốc</b>", html);
        AssertNoInlineStyleOrScript(html);

        using var english = new HttpRequestMessage(HttpMethod.Get, "/canh-bao?lang=en");
        var en = await app.CreateClient().SendAsync(english);
        var enHtml = await en.Content.ReadAsStringAsync();
        Assert.Contains("Product warnings", enHtml);
        Assert.Contains("<html lang=\"en\">", enHtml);
        Assert.Contains("lang=en", string.Join(";", en.Headers.GetValues("Set-Cookie")));

        // The stylesheet is a file of its own.
        var css = await app.CreateClient().GetAsync("/authority/workspace.css");
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Workspace_pages_carry_no_inline_style_script_or_handlers()
    {
        var browser = new StaffBrowser(app);
        await browser.SignInAsync();
        var producer = await app.RegisterProducerAsync();
        foreach (var page in StaffPages.Append($"/authority/producers/{producer.Id}").Append("/authority/signin"))
        {
            var response = await browser.Client.GetAsync(page);
            Assert.NotNull(response.Headers.GetValues("Content-Security-Policy").Single());
            AssertNoInlineStyleOrScript(await response.Content.ReadAsStringAsync());
        }
    }

    private static void AssertNoInlineStyleOrScript(string html)
    {
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(InlineHandler(), html);
    }

    private async Task<string> LotStatusAsync(string gtin, string lot)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/01/{gtin}/10/{lot}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = await app.CreateClient().SendAsync(request);
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["status"]!;
    }

    [GeneratedRegex("<code class=\"key\">([^<]+)</code>")]
    private static partial Regex KeyShown();

    [GeneratedRegex("href=\"/authority/producers/(p_[0-9a-f]+)\"")]
    private static partial Regex ProducerLink();

    [GeneratedRegex(@"\son[a-z]+=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();
}
