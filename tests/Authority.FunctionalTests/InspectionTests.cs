namespace Traceability.Authority.FunctionalTests;

public sealed class InspectionTests(AuthorityApp app) : IClassFixture<AuthorityApp>
{
    /// <summary>A 1×1 PNG.</summary>
    internal static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [Fact]
    public async Task An_inspector_records_an_inspection_that_only_admins_can_list()
    {
        var (inspector, inspectorId) = await app.NewInspectorAsync("Lê Văn Kiểm");
        var response = await inspector.PostAsJsonAsync("/api/v1/inspections", new
        {
            code = "https://tx.example.vn/01/08936001000010/10/HY2026-01", result = "authentic", notes = "Tem nguyên vẹn",
            latitude = 21.82, longitude = 105.21,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = (string)created["id"]!;
        Assert.Equal($"/api/v1/inspections/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("HY2026-01", (string)created["lot"]!);

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/inspections")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.GetAsync("/api/v1/inspections")).StatusCode);
        var list = (await app.Admin().GetFromJsonAsync<JsonObject>("/api/v1/inspections?gtin=8936001000010&lot=HY2026-01"))!["items"]!.AsArray();
        var item = list.Single(i => (string)i!["id"]! == id)!;
        Assert.Equal(inspectorId, (string)item["inspectorId"]!);
        Assert.Equal("Lê Văn Kiểm", (string)item["inspectorName"]!);
        Assert.Equal(21.82, (double)item["latitude"]!);
    }

    [Fact]
    public async Task Producers_and_the_public_cannot_record_inspections()
    {
        var producer = await app.NewProducerAsync("HTX Chè");
        var body = new { code = "/01/08936001000010", result = "authentic" };
        Assert.Equal(HttpStatusCode.Forbidden, (await producer.Client.PostAsJsonAsync("/api/v1/inspections", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsJsonAsync("/api/v1/inspections", body)).StatusCode);
    }

    [Fact]
    public async Task Bad_fields_are_named()
    {
        var (inspector, _) = await app.NewInspectorAsync();
        var response = await inspector.PostAsJsonAsync("/api/v1/inspections", new { code = "", result = "fine", latitude = 95.0, clientRef = "a b" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        foreach (var field in new[] { "code", "result", "latitude", "longitude", "clientRef" })
            Assert.True(errors.ContainsKey(field), $"no error for {field}");
    }

    [Fact]
    public async Task A_queued_record_sent_twice_is_stored_once()
    {
        var (inspector, _) = await app.NewInspectorAsync();
        var body = new { code = "/01/08936001000010/10/Q-DEDUP", result = "suspicious", clientRef = "offline-7f3a", inspectedAt = "2026-11-01T03:00:00Z" };
        var first = await inspector.PostAsJsonAsync("/api/v1/inspections", body);
        var second = await inspector.PostAsJsonAsync("/api/v1/inspections", body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var a = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((string)a["id"]!, (string)(await second.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 3, 0, 0, TimeSpan.Zero), (DateTimeOffset)a["inspectedAt"]!);
        var list = (await app.Admin().GetFromJsonAsync<JsonObject>("/api/v1/inspections?gtin=08936001000010&lot=Q-DEDUP"))!["items"]!.AsArray();
        Assert.Single(list);
    }

    [Fact]
    public async Task A_multipart_record_with_a_png_photo_keeps_the_photo_for_admins()
    {
        var (inspector, _) = await app.NewInspectorAsync();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("/01/08936001000010/10/P1"), "code" },
            { new StringContent("violation"), "result" },
            { new StringContent("21.5"), "latitude" },
            { new StringContent("105.1"), "longitude" },
            { new StringContent("Cửa hàng Minh Anh, 12 Hàng Bồ"), "place" },
        };
        // The client says JPEG; the bytes say PNG, and the bytes win.
        var photo = new ByteArrayContent(Png);
        photo.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(photo, "photo", "evidence.jpg");
        var response = await inspector.PostAsync("/api/v1/inspections", form);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var photoUrl = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["photo"]!;
        var stored = await app.Admin().GetAsync(photoUrl);
        Assert.Equal("image/png", stored.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Png, await stored.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await inspector.GetAsync(photoUrl)).StatusCode);
        Assert.Equal("Cửa hàng Minh Anh, 12 Hàng Bồ", (string)(await app.Admin().GetFromJsonAsync<JsonObject>("/api/v1/inspections"))!["items"]!
            .AsArray().Single(i => (string?)i!["photo"] == photoUrl)!["place"]!);
    }

    [Fact]
    public async Task The_stall_or_shop_is_stored_trimmed_and_limited_to_200_characters()
    {
        var (inspector, _) = await app.NewInspectorAsync();
        var response = await inspector.PostAsJsonAsync("/api/v1/inspections",
            new { code = "/01/08936001000010/10/Q1", result = "compliant", place = "  Quầy 12, chợ Tam Cờ  " });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Quầy 12, chợ Tam Cờ", (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["place"]!);

        var tooLong = await inspector.PostAsJsonAsync("/api/v1/inspections",
            new { code = "/01/08936001000010/10/Q1", result = "compliant", place = new string('x', 201) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.True((await tooLong.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("place"));
    }

    [Fact]
    public async Task Photos_that_are_not_jpeg_or_png_or_too_large_are_refused()
    {
        var (inspector, _) = await app.NewInspectorAsync();
        var (other, _) = await app.NewInspectorAsync();
        var created = await inspector.PostAsJsonAsync("/api/v1/inspections", new { code = "/01/08936001000010", result = "compliant" });
        var id = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        var html = new ByteArrayContent("<html><script>alert(1)</script></html>"u8.ToArray());
        html.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await inspector.PostAsync($"/api/v1/inspections/{id}/photo", html)).StatusCode);

        var big = new byte[70_000];
        Png.CopyTo(big, 0);
        var large = new ByteArrayContent(big);
        large.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await inspector.PostAsync($"/api/v1/inspections/{id}/photo", large)).StatusCode);

        var png = new ByteArrayContent(Png);
        png.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsync($"/api/v1/inspections/{id}/photo", png)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await inspector.PostAsync($"/api/v1/inspections/{id}/photo", png)).StatusCode);
    }
}
