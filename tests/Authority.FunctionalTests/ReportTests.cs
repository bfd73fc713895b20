namespace Traceability.Authority.FunctionalTests;

public sealed class ReportTests(AuthorityApp app) : IClassFixture<AuthorityApp>
{
    [Fact]
    public async Task Public_inspectors_and_producers_cannot_read_reports()
    {
        var (inspector, _) = await app.NewInspectorAsync();
        var producer = await app.NewProducerAsync("HTX Cam sành");

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/reports")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.GetAsync("/api/v1/reports")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await producer.Client.GetAsync("/api/v1/reports")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PatchAsJsonAsync("/api/v1/reports/r_x", new { status = "closed" })).StatusCode);
    }

    [Fact]
    public async Task Admin_sees_the_contact_in_the_detail_only_and_the_database_file_does_not_hold_it_in_clear_text()
    {
        const string contact = "Trần Văn Bình 0912 345 678 binh.tran@example.vn";
        const string message = "Vỏ hộp in sai hạn sử dụng, mùi lạ — kiểm tra giúp";
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/reports", new
        {
            code = "https://id.gs1.org/01/08936001000010/10/HY2026-01", category = "quality", message, contact,
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        var list = (await app.Admin().GetFromJsonAsync<JsonObject>("/api/v1/reports"))!;
        var report = list["items"]!.AsArray().Single(r => (string)r!["id"]! == id)!;
        // The list never carries the contact: only the (audited) detail view decrypts it.
        Assert.False(report.AsObject().ContainsKey("contact"));
        Assert.True((bool)report["hasContact"]!);
        Assert.Equal("new", (string)report["status"]!);
        Assert.Equal("HY2026-01", (string)report["lot"]!["lot"]!);
        var detail = (await app.Admin().GetFromJsonAsync<JsonObject>($"/api/v1/reports/{id}"))!;
        Assert.Equal(contact, (string)detail["contact"]!);

        // Look at the bytes on disk (database and WAL) without checkpointing them away.
        var files = new[] { "traceability.db", "traceability.db-wal" }
            .Select(f => Path.Combine(app.DataDirectory, f)).Where(File.Exists).ToList();
        var bytes = files.SelectMany(ReadShared).ToArray();
        Assert.True(Contains(bytes, Encoding.UTF8.GetBytes(message)), "the search must find the message, which is stored in clear");
        Assert.False(Contains(bytes, Encoding.UTF8.GetBytes("0912 345 678")), "the phone number is in the database file in clear text");
        Assert.False(Contains(bytes, Encoding.UTF8.GetBytes("binh.tran@example.vn")), "the e-mail address is in the database file in clear text");
        // The key ring is in the store (shared by every host over it), not in a folder beside the database.
        Assert.NotEmpty(await app.Services.GetRequiredService<Traceability.Storage.IKeyRingStore>().ListKeyRingAsync(TestContext.Current.CancellationToken));
        Assert.False(Directory.Exists(Path.Combine(app.DataDirectory, "keys")));
    }

    [Fact]
    public async Task Contacts_stay_readable_after_a_restart_because_the_key_ring_is_in_the_data_directory()
    {
        var id = await SubmitAsync(new { category = "safety", message = "Ngộ độc sau khi ăn", contact = "0987 654 321" });

        await using var restarted = new RestartedApp(app.DataDirectory);
        var detail = (await restarted.Admin().GetFromJsonAsync<JsonObject>($"/api/v1/reports/{id}"))!;
        Assert.Equal("0987 654 321", (string?)detail["contact"]);
    }

    [Fact]
    public async Task A_report_moves_from_new_to_in_review_to_resolved_and_no_further_back()
    {
        var id = await SubmitAsync(new { category = "counterfeit", message = "Tem giả" });
        var admin = app.Admin();

        var review = await admin.PatchAsJsonAsync($"/api/v1/reports/{id}", new { status = "in_review" });
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        Assert.Equal("in_review", (string)(await review.Content.ReadFromJsonAsync<JsonObject>())!["status"]!);
        // Deciding needs an outcome (PATCH carries none); triage gives it.
        var noOutcome = await admin.PatchAsJsonAsync($"/api/v1/reports/{id}", new { status = "resolved" });
        Assert.Equal(HttpStatusCode.BadRequest, noOutcome.StatusCode);
        Assert.True((await noOutcome.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("outcome"));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/reports/{id}/triage", new { status = "resolved", outcome = "Đã chuyển QLTT" })).StatusCode);

        var back = await admin.PatchAsJsonAsync($"/api/v1/reports/{id}", new { status = "new" });
        Assert.Equal(HttpStatusCode.Conflict, back.StatusCode);
        var bad = await admin.PatchAsJsonAsync($"/api/v1/reports/{id}", new { status = "done" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("status"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PatchAsJsonAsync("/api/v1/reports/r_nope", new { status = "closed" })).StatusCode);

        var closed = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/reports?status=resolved"))!["items"]!.AsArray();
        Assert.Contains(closed, r => (string)r!["id"]! == id);
        var fresh = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/reports?status=new"))!["items"]!.AsArray();
        Assert.DoesNotContain(fresh, r => (string)r!["id"]! == id);
    }

    [Fact]
    public async Task Invalid_reports_name_the_fields()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/reports", new
        {
            category = "weather", message = new string('x', 2001), contact = new string('c', 201),
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("category") && errors.ContainsKey("message") && errors.ContainsKey("contact"));

        var notJson = await app.CreateClient().PostAsync("/api/v1/reports", new StringContent("hi", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
        var huge = await app.CreateClient().PostAsync("/api/v1/reports",
            new StringContent("{\"message\":\"" + new string('x', 20_000) + "\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
    }

    [Fact]
    public async Task The_lookup_page_form_post_redirects_to_a_styled_thank_you_page_with_the_reference_number()
    {
        var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await browser.SendAsync(FormPost("/api/v1/reports", new()
        {
            ["code"] = "http://localhost/01/08936001000010/10/FAKE1", ["category"] = "counterfeit", ["message"] = "Mã lạ ở chợ Tam Cờ", ["contact"] = "",
        }));

        // Post-redirect-get: the report is stored once; reloading the page it lands on sends nothing again.
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/reports/thanks?ref=r_", location);
        var list = (await app.Admin().GetFromJsonAsync<JsonObject>("/api/v1/reports"))!["items"]!.AsArray();
        var stored = list.Single(r => (string?)r!["message"] == "Mã lạ ở chợ Tam Cờ")!;
        Assert.False((bool)stored["hasContact"]!);
        Assert.Equal("FAKE1", (string)stored["lot"]!["lot"]!);
        var id = (string)stored["id"]!;

        for (var load = 0; load < 2; load++)
        {
            var thanks = await browser.GetAsync(location);
            Assert.Equal(HttpStatusCode.OK, thanks.StatusCode);
            var html = await thanks.Content.ReadAsStringAsync();
            Assert.Contains("<html lang=\"vi\"", html);
            Assert.Contains("Cảm ơn bạn đã phản ánh", html);
            Assert.Contains($"<span class=\"ref\" id=\"reference\">{id}</span>", html);
            // Styled by the lookup pages' stylesheet, from this host (no inline style); nothing runs.
            Assert.Contains("<link rel=\"stylesheet\" href=\"/lookup.css?v=", html);
            Assert.DoesNotContain("<style", html);
            var csp = thanks.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("style-src 'self'", csp);
            Assert.DoesNotContain("unsafe-inline", csp);
            Assert.DoesNotContain("javascript:", html);
            Assert.Contains("<a class=\"back\" href=\"/01/08936001000010/10/FAKE1\">", html);
        }
        Assert.Single((await app.Admin().GetFromJsonAsync<JsonObject>("/api/v1/reports"))!["items"]!.AsArray(),
            r => (string?)r!["message"] == "Mã lạ ở chợ Tam Cờ");
    }

    [Fact]
    public async Task The_english_page_form_gets_an_english_thank_you_page_that_links_back_to_the_english_signed_label_page()
    {
        var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        const string code = "/01/08936001000010/10/L1/21/S9?sig=k1.abc";
        var response = await browser.SendAsync(FormPost("/api/v1/reports?lang=en", new()
        {
            ["code"] = code, ["category"] = "safety", ["message"] = "Stomach ache after eating", ["contact"] = "",
        }));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var html = await browser.GetStringAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("<html lang=\"en\"", html);
        Assert.Contains("Thank you for your report", html);
        Assert.DoesNotContain("Cảm ơn", html);
        // The signature stays on the link back, or the page would warn that it is missing.
        Assert.Contains("href=\"/01/08936001000010/10/L1/21/S9?sig=k1.abc&amp;lang=en\"", html);
        var stored = (await app.Admin().GetFromJsonAsync<JsonObject>("/api/v1/reports"))!["items"]!.AsArray()
            .Single(r => (string?)r!["message"] == "Stomach ache after eating")!;
        Assert.Equal("safety", (string)stored["category"]!);
    }

    [Fact]
    public async Task A_bad_form_post_from_a_browser_gets_a_vietnamese_page_naming_the_problem_not_json()
    {
        var response = await app.CreateClient().SendAsync(FormPost("/api/v1/reports", new()
        {
            ["code"] = "/01/08936001000010/10/FAKE2", ["category"] = "weather", ["message"] = "   ",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Phản ánh chưa được gửi", html);
        Assert.Contains("Hãy chọn loại vấn đề trong danh sách.", html);
        Assert.Contains("Hãy viết nội dung phản ánh", html);
        Assert.Contains("href=\"/01/08936001000010/10/FAKE2\"", html);
    }

    [Fact]
    public async Task A_thank_you_address_without_a_well_formed_reference_echoes_nothing()
    {
        var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await browser.GetAsync("/reports/thanks?ref=%3Cscript%3E&code=/01/08936001000010/10/FAKE3");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/01/08936001000010/10/FAKE3", response.Headers.Location!.OriginalString);
    }

    internal static HttpRequestMessage FormPost(string url, Dictionary<string, string> fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        return request;
    }

    private async Task<string> SubmitAsync(object body)
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/reports", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}

/// <summary>A host whose report limit is 2 per window, to see the limit bite.</summary>
public sealed class StrictReportApp : AuthorityApp
{
    protected override int ReportPermitLimit => 2;
}

/// <summary>2 reports per device and 5 per address per window: many phones behind one carrier address.</summary>
public sealed class NatReportApp : AuthorityApp
{
    protected override int ReportPermitLimit => 2;

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Reports:AddressPermitLimit", "5");
    }
}

/// <summary>Issue 21 (11): the limit is per device (a cookie) under a higher per-address ceiling; browsers get a page.</summary>
public sealed class ReportNatLimitTests(NatReportApp app) : IClassFixture<NatReportApp>
{
    [Fact]
    public async Task Phones_behind_one_address_each_get_their_own_limit_under_the_address_ceiling_and_browsers_are_refused_in_vietnamese()
    {
        var body = new Dictionary<string, string> { ["category"] = "quality", ["message"] = "Cam bị dập" };
        // The test server's clients keep cookies, as a phone's browser does; they all come from one address.
        var first = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.SeeOther, (await first.SendAsync(ReportTests.FormPost("/api/v1/reports", body))).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await first.SendAsync(ReportTests.FormPost("/api/v1/reports", body))).StatusCode);

        var refused = await first.SendAsync(ReportTests.FormPost("/api/v1/reports", body));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(refused.Headers.RetryAfter);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"vi\"", page);
        Assert.Contains("Bạn đã gửi nhiều phản ánh trong thời gian ngắn", page);
        Assert.Contains("10 phút", page);
        Assert.Contains("style-src 'self'", refused.Headers.GetValues("Content-Security-Policy").Single());

        // Another phone on the same address is not silenced by the first one's limit.
        var second = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.SeeOther, (await second.SendAsync(ReportTests.FormPost("/api/v1/reports", body))).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await second.SendAsync(ReportTests.FormPost("/api/v1/reports", body))).StatusCode);

        // A sender that drops the cookie gets a new device each time, but the address ceiling (5) still holds.
        var noCookies = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var dropped = await noCookies.SendAsync(ReportTests.FormPost("/api/v1/reports", body));
        Assert.Equal(HttpStatusCode.SeeOther, dropped.StatusCode);
        var cookie = dropped.Headers.GetValues("Set-Cookie").Single();
        Assert.Matches("^report_device=[0-9a-f]{32}; ", cookie);
        Assert.Contains("path=/api/v1/reports", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        var ceiling = await noCookies.PostAsJsonAsync("/api/v1/reports", new { category = "quality", message = "Cam bị dập" });
        Assert.Equal(HttpStatusCode.TooManyRequests, ceiling.StatusCode);
        Assert.Equal("application/problem+json", ceiling.Content.Headers.ContentType?.MediaType);

        // An API client that says it accepts HTML is refused with the page too, never a blank answer.
        var html = new HttpRequestMessage(HttpMethod.Post, "/api/v1/reports?lang=en") { Content = JsonContent.Create(new { category = "quality", message = "x" }) };
        html.Headers.Accept.ParseAdd("text/html");
        var refusedHtml = await noCookies.SendAsync(html);
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedHtml.StatusCode);
        Assert.Contains("You have sent many reports", await refusedHtml.Content.ReadAsStringAsync());

        Assert.Equal(5, (await app.Admin().GetFromJsonAsync<JsonObject>("/api/v1/reports"))!["items"]!.AsArray().Count);
    }
}

public sealed class ReportRateLimitTests(StrictReportApp app) : IClassFixture<StrictReportApp>
{
    [Fact]
    public async Task A_client_sending_too_many_reports_gets_429_with_retry_after()
    {
        var client = app.CreateClient();
        var body = new { category = "other", message = "thử" };
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/reports", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/reports", body)).StatusCode);

        var third = await client.PostAsJsonAsync("/api/v1/reports", body);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
        Assert.True(third.Headers.RetryAfter is not null);
        var stored = (await app.Admin().GetFromJsonAsync<JsonObject>("/api/v1/reports"))!["items"]!.AsArray();
        Assert.Equal(2, stored.Count);
    }
}
