using MiniExcelLibs;

namespace Traceability.Authority.FunctionalTests;

/// <summary>
/// Named staff accounts and their roles (issue 18): created and revoked by an admin, signing in under
/// their own name, viewers refused every write, officers refused staff management; recalls issued
/// from the workspace with a preview and a confirmation, and ended; a producer's keys rotated from its
/// page; the audit log filtered and exported.
/// </summary>
public sealed class StaffAndRecallTests(AuthorityApp app) : IClassFixture<AuthorityApp>
{
    [Fact]
    public async Task An_officer_signs_in_under_their_name_writes_is_audited_cannot_manage_staff_and_revoking_ends_the_session()
    {
        var officer = await app.CreateStaffAsync("officer", "Trần Thị Bích " + Guid.NewGuid().ToString("N")[..4], "Sở Công Thương Lào Cai");
        var list = await app.Admin().GetStringAsync("/api/v1/staff");
        Assert.Contains(officer.Name, list);
        Assert.DoesNotContain(officer.ApiKey, list);
        // Stored hashed, like every key: the plain key is nowhere in the store's record.
        var stored = await app.Services.GetRequiredService<Traceability.Storage.IAccountStore>().GetApiKeyAsync(officer.ApiKey.Split('_')[1]);
        Assert.Equal((Traceability.Storage.Role.Officer, officer.Id), (stored!.Role, stored.StaffId));

        var browser = new StaffBrowser(app);
        await browser.SignInAsync(officer.ApiKey);
        Assert.Contains(officer.Name, await browser.GetPageAsync("/authority/producers"));
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.Client.GetAsync("/authority/staff")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientWithKey(officer.ApiKey).GetAsync("/api/v1/staff")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientWithKey(officer.ApiKey).PostAsJsonAsync("/api/v1/staff",
            new { name = "X", unit = "Y", role = "admin" })).StatusCode);

        // The officer suspends a producer from its page: the audit log names the officer.
        var producer = await app.RegisterProducerAsync();
        var suspended = await browser.SubmitAsync($"/authority/producers/{producer.Id}", "status", ("Reason", "Hồ sơ giả mạo"));
        Assert.Equal(HttpStatusCode.Redirect, suspended.StatusCode);
        var audit = await app.Services.GetRequiredService<Traceability.Storage.IAuditStore>().ListAuditAsync("producer:" + producer.Id, 10);
        Assert.Equal((officer.Name, "producer.suspend"), (audit[0].Actor, audit[0].Action));
        // Through the API too (the key's account names the actor).
        var reinstated = await app.ClientWithKey(officer.ApiKey).PostAsJsonAsync($"/api/v1/producers/{producer.Id}/reinstate", new { reason = "Đã bổ sung hồ sơ" });
        Assert.Equal(HttpStatusCode.OK, reinstated.StatusCode);
        Assert.Equal(officer.Name, (await app.Services.GetRequiredService<Traceability.Storage.IAuditStore>().ListAuditAsync("producer:" + producer.Id, 1))[0].Actor);

        // Revoked by the admin (with a reason): the session ends at once and the key stops working.
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Admin().PostAsJsonAsync($"/api/v1/staff/{officer.Id}/revoke", new { reason = "" })).StatusCode);
        var revoked = await app.Admin().PostAsJsonAsync($"/api/v1/staff/{officer.Id}/revoke", new { reason = "Chuyển công tác" });
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal("revoked", (string)(await revoked.Content.ReadFromJsonAsync<JsonObject>())!["status"]!);
        var after = await browser.Client.GetAsync("/authority/producers");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/authority/signin", after.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ClientWithKey(officer.ApiKey).GetAsync("/api/v1/producers")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await app.Admin().PostAsJsonAsync($"/api/v1/staff/{officer.Id}/revoke", new { reason = "Lần hai" })).StatusCode);
        Assert.Equal("staff.revoke", (await app.Services.GetRequiredService<Traceability.Storage.IAuditStore>().ListAuditAsync("staff:" + officer.Id, 1))[0].Action);
    }

    [Fact]
    public async Task The_admin_creates_and_revokes_staff_on_the_staff_page_and_the_key_is_shown_once()
    {
        var browser = new StaffBrowser(app);
        await browser.SignInAsync();
        var invalid = await browser.SubmitAsync("/authority/staff", "create", ("Create.Name", ""), ("Create.Unit", "Sở"), ("Create.Role", "boss"));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var invalidHtml = WebUtility.HtmlDecode(await invalid.Content.ReadAsStringAsync());
        Assert.Contains("Cần nhập họ và tên", invalidHtml);
        Assert.Contains("Hãy chọn vai trò", invalidHtml);

        var name = "Phạm Minh Đức " + Guid.NewGuid().ToString("N")[..4];
        var created = await browser.SubmitAsync("/authority/staff", "create", ("Create.Name", name), ("Create.Unit", "Chi cục QLTT"), ("Create.Role", "viewer"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("no-store", created.Headers.CacheControl!.ToString());
        var html = WebUtility.HtmlDecode(await created.Content.ReadAsStringAsync());
        var key = System.Text.RegularExpressions.Regex.Match(html, "<code class=\"key\">(trc_[^<]+)</code>").Groups[1].Value;
        Assert.StartsWith("trc_", key);
        // The key works for the viewer's reads, and is not on the list page afterwards.
        Assert.Equal(HttpStatusCode.OK, (await app.ClientWithKey(key).GetAsync("/api/v1/producers")).StatusCode);
        Assert.DoesNotContain(key, await browser.GetPageAsync("/authority/staff"));

        var id = (await app.Admin().GetFromJsonAsync<JsonArray>("/api/v1/staff"))!.Single(s => (string)s!["name"]! == name)!["id"]!.ToString();
        var revoked = await browser.SubmitAsync("/authority/staff", "revoke", ("Revoke.Id", id), ("Revoke.Reason", "Nghỉ việc"));
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ClientWithKey(key).GetAsync("/api/v1/producers")).StatusCode);
    }

    [Fact]
    public async Task A_viewer_reads_everything_and_every_write_is_refused_with_403()
    {
        var viewer = await app.CreateStaffAsync("viewer", "Hoàng Văn Xem");
        var producer = await app.RegisterProducerAsync();
        var api = app.ClientWithKey(viewer.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/producers")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/producers/{producer.Id}/lots")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsJsonAsync($"/api/v1/producers/{producer.Id}/suspend", new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsJsonAsync("/api/v1/recalls", new { gtin = "x", lots = new[] { "A" }, reason = "x", severity = "low" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsJsonAsync("/api/v1/recalls/rc-x/end", new { reason = "x" })).StatusCode);

        var browser = new StaffBrowser(app);
        await browser.SignInAsync(viewer.ApiKey);
        var page = await browser.GetPageAsync($"/authority/producers/{producer.Id}");
        // No write form is shown…
        Assert.DoesNotContain("value=\"status\"", page);
        Assert.DoesNotContain("value=\"keys\"", page);
        Assert.DoesNotContain("/authority/producers/new", page);
        // …and a forged post is refused, the producer unchanged.
        var token = StaffBrowser.TokenOf(page);
        var forged = await browser.Client.PostAsync($"/authority/producers/{producer.Id}",
            new FormUrlEncodedContent([new("_handler", "status"), new("__csrf", token), new("Reason", "Giả mạo")]));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Contains("Không có quyền", WebUtility.HtmlDecode(await forged.Content.ReadAsStringAsync()));
        Assert.Equal("active", (string)(await app.Admin().GetFromJsonAsync<JsonObject>($"/api/v1/producers/{producer.Id}"))!["producer"]!["status"]!);
        foreach (var url in new[] { "/authority/producers/new", "/authority/recalls/new", "/authority/staff" })
            Assert.Equal(HttpStatusCode.Forbidden, (await browser.Client.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/authority/recalls")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/authority/audit")).StatusCode);
    }

    [Fact]
    public async Task An_officer_issues_a_recall_with_a_preview_of_the_downstream_lots_and_a_confirmation_then_ends_it()
    {
        var farm = await app.NewProducerAsync("HTX Cam " + Guid.NewGuid().ToString("N")[..4]);
        var oranges = await farm.RegisterProductAsync("Cam sành");
        var juice = await farm.RegisterProductAsync("Nước cam");
        await farm.RegisterLotAsync(oranges, "CAM-01");
        await farm.RegisterLotAsync(oranges, "CAM-02");
        await farm.RegisterLotAsync(juice, "NC-01");
        await farm.RegisterLocationAsync("XUONG", "Xưởng ép", "Tuyên Quang");
        await farm.CaptureAsync(new JsonObject
        {
            ["type"] = "TransformationEvent",
            ["eventTime"] = "2026-11-02T08:00:00+07:00",
            ["eventTimeZoneOffset"] = "+07:00",
            ["bizStep"] = "commissioning",
            ["bizLocation"] = new JsonObject { ["id"] = $"urn:x-traceability:loc:{farm.Id}:XUONG" },
            ["inputQuantityList"] = new JsonArray(new JsonObject { ["epcClass"] = $"https://id.gs1.org/01/{oranges}/10/CAM-01", ["quantity"] = 100, ["uom"] = "KGM" }),
            ["outputQuantityList"] = new JsonArray(new JsonObject { ["epcClass"] = $"https://id.gs1.org/01/{juice}/10/NC-01", ["quantity"] = 60, ["uom"] = "LTR" }),
        });
        var officer = await app.CreateStaffAsync("officer", "Vũ Thị Thu Hồi");
        var browser = new StaffBrowser(app);
        await browser.SignInAsync(officer.ApiKey);

        // Steps 1–2 are GET forms: the producer, then its product.
        Assert.Contains(farm.Name, WebUtility.HtmlDecode(await browser.GetPageAsync("/authority/recalls/new")));
        Assert.Contains("Cam sành", WebUtility.HtmlDecode(await browser.GetPageAsync($"/authority/recalls/new?producer={farm.Id}")));
        var step3 = $"/authority/recalls/new?producer={farm.Id}&gtin={oranges}";

        // Nothing chosen: a Vietnamese error, nothing recalled.
        var empty = await browser.SubmitAsync(step3, "preview", ("reason", ""), ("severity", "high"));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var emptyHtml = WebUtility.HtmlDecode(await empty.Content.ReadAsStringAsync());
        Assert.Contains("Hãy chọn ít nhất một lô", emptyHtml);
        Assert.Contains("Cần nhập lý do thu hồi", emptyHtml);

        // The preview: the chosen lot and the juice lot made from it; still nothing recalled.
        var preview = await browser.SubmitAsync(step3, "preview", ("lot", "CAM-01"), ("reason", "Dư lượng thuốc BVTV"), ("severity", "high"));
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var previewHtml = WebUtility.HtmlDecode(await preview.Content.ReadAsStringAsync());
        Assert.Contains("NC-01", previewHtml);
        Assert.Contains("Làm ra từ lô bị thu hồi", previewHtml);
        Assert.Contains("name=\"_handler\" value=\"confirm\"", previewHtml);
        Assert.Equal("active", await StatusAsync(oranges, "CAM-01"));

        var confirmed = await browser.Client.PostAsync(step3, new FormUrlEncodedContent(
        [
            new("_handler", "confirm"), new("__csrf", StaffBrowser.TokenOf(previewHtml)), new("lot", "CAM-01"),
            new("reason", "Dư lượng thuốc BVTV"), new("severity", "high"),
        ]));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var recallPage = new Uri(new Uri("http://localhost"), confirmed.Headers.Location!).PathAndQuery;
        Assert.Matches("^/authority/recalls/rc-[0-9a-f]+\\?done=issued$", recallPage);
        Assert.Equal("recalled", await StatusAsync(oranges, "CAM-01"));
        Assert.Equal("active", await StatusAsync(oranges, "CAM-02"));
        var id = recallPage.Split('/', '?')[3];
        Assert.Contains(officer.Name, WebUtility.HtmlDecode(await browser.GetPageAsync(recallPage)));
        Assert.Contains(id, await browser.GetPageAsync("/authority/recalls"));

        // Ending it needs a reason, then the lot is active again and the history keeps it.
        var noReason = await browser.SubmitAsync($"/authority/recalls/{id}", "end", ("EndReason", " "));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var ended = await browser.SubmitAsync($"/authority/recalls/{id}", "end", ("EndReason", "Kết quả kiểm nghiệm lại đạt"));
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Equal("active", await StatusAsync(oranges, "CAM-01"));
        var endedPage = WebUtility.HtmlDecode(await browser.GetPageAsync($"/authority/recalls/{id}?done=ended"));
        Assert.Contains("Kết quả kiểm nghiệm lại đạt", endedPage);
        Assert.DoesNotContain("value=\"end\"", endedPage);

        var entries = await app.Services.GetRequiredService<Traceability.Storage.IAuditStore>().ListAuditAsync("recall:" + id, 10);
        Assert.Equal([("recall.end", officer.Name), ("recall.issue", officer.Name)], entries.Select(e => (e.Action, e.Actor)));
    }

    [Fact]
    public async Task A_producers_products_and_lots_are_paged_for_staff()
    {
        var producer = await app.NewProducerAsync("HTX Chè " + Guid.NewGuid().ToString("N")[..4]);
        var gtin = await producer.RegisterProductAsync("Chè Shan tuyết");
        await producer.RegisterProductAsync("Chè xanh");
        foreach (var lot in new[] { "L1", "L2", "L3" }) await producer.RegisterLotAsync(gtin, lot);
        var viewer = app.ClientWithKey((await app.CreateStaffAsync("viewer")).ApiKey);

        var first = await viewer.GetAsync($"/api/v1/producers/{producer.Id}/lots?perPage=2");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var page1 = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(2, page1["items"]!.AsArray().Count);
        var token = (string)page1["nextPageToken"]!;
        Assert.Equal(token, first.Headers.GetValues("GS1-Next-Page-Token").Single());
        var page2 = (await viewer.GetFromJsonAsync<JsonObject>($"/api/v1/producers/{producer.Id}/lots?perPage=2&nextPageToken={token}"))!;
        Assert.Single(page2["items"]!.AsArray());
        Assert.Null(page2["nextPageToken"]);
        var lots = page1["items"]!.AsArray().Concat(page2["items"]!.AsArray()).Select(l => (string)l!["lot"]!).Order().ToList();
        Assert.Equal(["L1", "L2", "L3"], lots);

        var products = (await viewer.GetFromJsonAsync<JsonObject>($"/api/v1/producers/{producer.Id}/products?page=2&perPage=1"))!;
        Assert.Single(products["items"]!.AsArray());
        Assert.Equal(2, (int)products["page"]!);

        var bad = await viewer.GetAsync($"/api/v1/producers/{producer.Id}/lots?perPage=500&nextPageToken={token}x");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("perPage"));
        // A lots token is not a products token.
        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.GetAsync($"/api/v1/producers/{producer.Id}/products?nextPageToken={token}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync("/api/v1/producers/p_nope/lots")).StatusCode);
    }

    [Fact]
    public async Task Rotating_a_producers_key_from_its_page_shows_the_new_key_once_and_stops_the_old_one()
    {
        var producer = await app.RegisterProducerAsync();
        var browser = new StaffBrowser(app);
        await browser.SignInAsync();
        var keyId = producer.ApiKey.Split('_')[1];
        Assert.Contains(keyId, await browser.GetPageAsync($"/authority/producers/{producer.Id}"));

        var rotated = await browser.SubmitAsync($"/authority/producers/{producer.Id}", "keys", ("KeyId", keyId), ("KeyAction", "rotate"));
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.Equal("no-store", rotated.Headers.CacheControl!.ToString());
        var html = await rotated.Content.ReadAsStringAsync();
        var newKey = System.Text.RegularExpressions.Regex.Match(html, "<code class=\"key\">(trc_[^<]+)</code>").Groups[1].Value;
        Assert.StartsWith("trc_", newKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ClientWithKey(producer.ApiKey).GetAsync("/api/v1/products")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.ClientWithKey(newKey).GetAsync("/api/v1/products")).StatusCode);

        var revoked = await browser.SubmitAsync($"/authority/producers/{producer.Id}", "keys", ("KeyId", newKey.Split('_')[1]), ("KeyAction", "revoke"));
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ClientWithKey(newKey).GetAsync("/api/v1/products")).StatusCode);
        var actions = (await app.Services.GetRequiredService<Traceability.Storage.IAuditStore>().ListAuditAsync("producer:" + producer.Id, 10)).Select(e => e.Action).ToList();
        Assert.Equal(["producer.key.revoke", "producer.key.rotate"], actions);
    }

    [Fact]
    public async Task The_audit_log_filters_by_action_and_exports_csv_and_xlsx_without_formulas()
    {
        var producer = await app.RegisterProducerAsync();
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().PostAsJsonAsync($"/api/v1/producers/{producer.Id}/suspend",
            new { reason = "=HYPERLINK(\"http://evil\",\"x\")" })).StatusCode);
        var browser = new StaffBrowser(app);
        await browser.SignInAsync();

        var page = WebUtility.HtmlDecode(await browser.GetPageAsync("/authority/audit?action=producer.&from=2020-01-01"));
        Assert.Contains("=HYPERLINK", page);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.Client.GetAsync("/authority/audit?from=01/02/2026")).StatusCode);
        Assert.DoesNotContain("producer:" + producer.Id, await browser.GetPageAsync("/authority/audit?action=recall."));

        var csv = await browser.Client.GetAsync("/authority/audit/export?format=csv&action=producer.");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.Contains("Thời gian (UTC+7)", text);
        Assert.Contains("'=HYPERLINK", text);
        Assert.Contains("producer:" + producer.Id, text);

        var xlsx = await browser.Client.GetAsync("/authority/audit/export?format=xlsx&action=producer.");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        using var stream = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        var rows = stream.Query(useHeaderRow: false).Cast<IDictionary<string, object?>>().ToList();
        var suspension = rows.Single(r => (r["E"] as string) == "producer:" + producer.Id && (r["C"] as string) == "producer.suspend");
        Assert.Equal("'=HYPERLINK(\"http://evil\",\"x\")", suspension["F"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.Client.GetAsync("/authority/audit/export?format=pdf")).StatusCode);
    }

    private async Task<string> StatusAsync(string gtin14, string lot)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/01/{gtin14}/10/{lot}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = await app.CreateClient().SendAsync(request);
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["status"]!;
    }
}
