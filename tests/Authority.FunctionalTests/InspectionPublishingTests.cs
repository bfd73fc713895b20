namespace Traceability.Authority.FunctionalTests;

/// <summary>Inspections for staff (issue 18, points 5 and 6): filters, publishing (audited), the warnings page and feed.</summary>
public sealed class InspectionPublishingTests(StaffRoleApp app) : IClassFixture<StaffRoleApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Staff_filter_by_province_inspector_result_and_period()
    {
        var (gtin, lot) = await ProductWithLotAsync("Chè Shan tuyết");
        var (thanh, thanhId) = await app.NewInspectorAsync("Phạm Thị Thanh");
        var (binh, _) = await app.NewInspectorAsync("Đỗ Văn Bình");
        // Tuyên Quang (near its centre) in November; Lai Châu in December.
        var a = await RecordAsync(thanh, gtin, lot, "violation", 21.82, 105.21, "2026-11-10T09:00:00+07:00");
        var b = await RecordAsync(binh, gtin, lot, "compliant", 22.40, 103.46, "2026-12-01T09:00:00+07:00");

        async Task<string[]> Ids(string query) =>
            [.. (await app.Admin().GetFromJsonAsync<JsonObject>($"/api/v1/inspections?gtin={gtin}&lot={lot}&{query}", Ct))!["items"]!
                .AsArray().Select(i => (string)i!["id"]!)];
        Assert.Equal([b, a], await Ids(""));
        Assert.Equal([a], await Ids("province=" + Uri.EscapeDataString("Tuyên Quang")));
        Assert.Equal([b], await Ids("province=lai%20chau"));
        Assert.Equal([a], await Ids("inspector=" + thanhId));
        Assert.Equal([b], await Ids("result=compliant"));
        Assert.Equal([a], await Ids("from=2026-11-01&to=2026-11-30"));
        Assert.Equal([b], await Ids("from=2026-12-01"));
        var item = (await app.Admin().GetFromJsonAsync<JsonObject>($"/api/v1/inspections?inspector={thanhId}", Ct))!["items"]![0]!;
        Assert.Equal("Tuyên Quang", (string)item["province"]!);

        var bad = await app.Admin().GetAsync("/api/v1/inspections?province=Atlantis&result=great&from=2026-13-01&published=maybe", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject();
        foreach (var field in new[] { "province", "result", "from", "published" }) Assert.True(errors.ContainsKey(field), field);

        // The workspace's list filters the same way and shows the photo and the place.
        var browser = new StaffBrowser(app);
        await browser.SignInAsync();
        var page = WebUtility.HtmlDecode(await browser.GetPageAsync("/authority/inspections?result=violation&inspector=" + thanhId));
        Assert.Contains($"id=\"{a}\"", page);
        Assert.DoesNotContain($"id=\"{b}\"", page);
        Assert.Contains("Tuyên Quang", page);
        Assert.Contains($"/authority/inspections/{a}/photo", page);
        var photo = await browser.Client.GetAsync($"/authority/inspections/{a}/photo", Ct);
        Assert.Equal("image/png", photo.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.Client.GetAsync("/authority/inspections?from=hôm-qua", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_published_outcome_is_on_the_warnings_page_and_feed_newest_first_until_withdrawn()
    {
        var (gtin, lot) = await ProductWithLotAsync("Sâm Lai Châu");
        var (inspector, _) = await app.NewInspectorAsync();
        var id = await RecordAsync(inspector, gtin, lot, "seized", 22.40, 103.46, null);
        Assert.DoesNotContain(id, await app.CreateClient().GetStringAsync("/api/v1/warnings", Ct));

        var published = await app.Admin().PostAsync($"/api/v1/inspections/{id}/publish", null, Ct);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.NotNull((await published.Content.ReadFromJsonAsync<JsonObject>(Ct))!["publishedAt"]);

        var document = (await app.CreateClient().GetFromJsonAsync<JsonObject>("/api/v1/warnings", Ct))!;
        // "warnings" stays the recalls alone: the inspector app keeps it as its offline recall list.
        Assert.DoesNotContain(document["warnings"]!.AsArray(), w => (string)w!["id"]! == id);
        var feed = document["inspections"]!.AsArray();
        var warning = feed.Single(w => (string)w!["id"]! == id)!;
        Assert.Equal("inspection", (string)warning["kind"]!);
        Assert.Equal("seized", (string)warning["result"]!);
        Assert.Equal("Lai Châu", (string)warning["province"]!);
        Assert.Equal("Sâm Lai Châu", (string)warning["productName"]!);
        Assert.EndsWith($"/01/{gtin}/10/{lot}", (string)warning["lots"]![0]!["digitalLink"]!);
        var times = feed.Select(w => DateTimeOffset.Parse((string)w!["issuedAt"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
        var atom = new HttpRequestMessage(HttpMethod.Get, "/api/v1/warnings");
        atom.Headers.Accept.ParseAdd("application/atom+xml");
        Assert.Contains($"tag:traceability,2026:inspection:{id}", await (await app.CreateClient().SendAsync(atom, Ct)).Content.ReadAsStringAsync(Ct));

        var html = WebUtility.HtmlDecode(await app.CreateClient().GetStringAsync("/canh-bao", Ct));
        Assert.Contains("Kết quả kiểm tra: Tạm giữ hàng hóa — Sâm Lai Châu", html);
        Assert.Contains($"href=\"/01/{gtin}\"", html);
        var english = WebUtility.HtmlDecode(await app.CreateClient().GetStringAsync("/canh-bao?lang=en", Ct));
        Assert.Contains("Inspection result: Goods seized", english);

        var audit = await app.Services.GetRequiredService<IAuditStore>().ListAuditAsync("inspection:" + id, 10, Ct);
        Assert.Equal("admin-configured", Assert.Single(audit, e => e.Action == "inspection.publish").Actor);

        var noReason = await app.Admin().PostAsJsonAsync($"/api/v1/inspections/{id}/unpublish", new { reason = " " }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True((await noReason.Content.ReadFromJsonAsync<JsonObject>(Ct))!["errors"]!.AsObject().ContainsKey("reason"));
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().PostAsJsonAsync($"/api/v1/inspections/{id}/unpublish", new { reason = "Nhầm lô" }, Ct)).StatusCode);
        Assert.DoesNotContain(id, await app.CreateClient().GetStringAsync("/api/v1/warnings", Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await app.Admin().PostAsync("/api/v1/inspections/insp_nope/publish", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task The_workspace_publishes_and_viewers_cannot()
    {
        var (gtin, lot) = await ProductWithLotAsync("Cam sành Hàm Yên");
        var (inspector, _) = await app.NewInspectorAsync();
        var id = await RecordAsync(inspector, gtin, lot, "violation", 21.82, 105.21, null);
        var unnamed = await RecordRawAsync(inspector, "NHAN-GIA-123", "violation");

        var viewer = (await app.AsAsync("viewer"));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/inspections", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/v1/inspections/{id}/publish", null, Ct)).StatusCode);
        Assert.DoesNotContain($"value=\"publish-{id}\"", await viewer.GetStringAsync("/authority/inspections", Ct));
        var (other, _) = await app.NewInspectorAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsync($"/api/v1/inspections/{id}/publish", null, Ct)).StatusCode);
        // A code that names no product has no product page to link from the public warning.
        Assert.Equal(HttpStatusCode.Conflict, (await app.Admin().PostAsync($"/api/v1/inspections/{unnamed}/publish", null, Ct)).StatusCode);

        var browser = new StaffBrowser(app);
        await browser.SignInAsync();
        var response = await browser.SubmitAsync("/authority/inspections", "publish-" + id);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = WebUtility.HtmlDecode(await browser.GetPageAsync(response.Headers.Location!.OriginalString));
        Assert.Contains("Đã công khai kết quả kiểm tra", page);
        Assert.Contains("Vi phạm — Cam sành Hàm Yên", WebUtility.HtmlDecode(await app.CreateClient().GetStringAsync("/canh-bao", Ct)));
    }

    [Fact]
    public async Task The_producer_page_lists_complaints_and_inspections_about_its_products()
    {
        var producer = await app.NewProducerAsync("HTX Sâm Tả Lèng " + Guid.NewGuid().ToString("N")[..4]);
        var gtin = await producer.RegisterProductAsync("Sâm Lai Châu");
        await producer.RegisterLotAsync(gtin, "TL-01");
        var (inspector, _) = await app.NewInspectorAsync();
        var inspection = await RecordAsync(inspector, gtin, "TL-01", "violation", 22.40, 103.46, null);
        var report = await app.CreateClient().PostAsJsonAsync("/api/v1/reports",
            new { code = $"/01/{gtin}/10/TL-01", category = "counterfeit", message = "Nghi sâm giả bán ở chợ" }, Ct);
        var reportId = (string)(await report.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!;

        var browser = new StaffBrowser(app);
        await browser.SignInAsync();
        var page = WebUtility.HtmlDecode(await browser.GetPageAsync($"/authority/producers/{producer.Id}"));
        Assert.Contains($"/authority/complaints/{reportId}", page);
        Assert.Contains($"/authority/inspections#{inspection}", page);
        Assert.Contains("Nghi hàng giả", page);
    }

    private async Task<(string Gtin, string Lot)> ProductWithLotAsync(string name)
    {
        var producer = await app.NewProducerAsync("HTX " + name + " " + Guid.NewGuid().ToString("N")[..4]);
        var gtin = await producer.RegisterProductAsync(name);
        var lot = "L" + Random.Shared.Next(1000, 9999);
        await producer.RegisterLotAsync(gtin, lot);
        return (gtin, lot);
    }

    private async Task<string> RecordAsync(HttpClient inspector, string gtin, string lot, string result, double lat, double lon, string? at)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent($"/01/{gtin}/10/{lot}"), "code" }, { new StringContent(result), "result" },
            { new StringContent(lat.ToString(System.Globalization.CultureInfo.InvariantCulture)), "latitude" },
            { new StringContent(lon.ToString(System.Globalization.CultureInfo.InvariantCulture)), "longitude" },
        };
        if (at is not null) form.Add(new StringContent(at), "inspectedAt");
        var photo = new ByteArrayContent(InspectionTests.Png);
        photo.Headers.ContentType = new("image/png");
        form.Add(photo, "photo", "photo.png");
        var response = await inspector.PostAsync("/api/v1/inspections", form, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!;
    }

    private async Task<string> RecordRawAsync(HttpClient inspector, string code, string result)
    {
        var response = await inspector.PostAsJsonAsync("/api/v1/inspections", new { code, result }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!;
    }
}
