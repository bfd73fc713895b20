namespace Traceability.Ingestion.FunctionalTests;

public sealed class MasterDataTests(TraceabilityApp app) : IClassFixture<TraceabilityApp>
{
    [Fact]
    public async Task The_OpenAPI_document_lists_each_typed_endpoints_answers_and_problems()
    {
        var doc = (await app.CreateClient().GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        JsonObject Responses(string path, string method) => doc["paths"]![path]![method]!["responses"]!.AsObject();
        // Results<Created<ProductResponse>, Results<ValidationProblem, ProblemHttpResult>>: the 201 with its schema and the 400 with field errors.
        var create = Responses("/api/v1/products", "post");
        Assert.True(create.ContainsKey("201"), create.ToJsonString());
        Assert.True(create.ContainsKey("400"), create.ToJsonString());
        Assert.NotNull(create["201"]!["content"]?["application/json"]);
        Assert.False(create.ContainsKey("200"), create.ToJsonString());
        Assert.True(Responses("/epcis/queries/{queryName}", "delete").ContainsKey("204"));
        Assert.True(Responses("/api/v1/reports/{id}/triage", "post").ContainsKey("400"));
    }

    [Fact]
    public async Task Products_follow_the_contract_status_codes()
    {
        var producer = await app.NewProducerAsync();
        var gtin13 = producer.NewGtin();

        var created = await producer.Client.PostAsJsonAsync("/api/v1/products", new { gtin = gtin13, name = new { vi = "Chè Shan tuyết" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/v1/products/{gtin13.PadLeft(14, '0')}", created.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.Conflict, (await producer.Client.PostAsJsonAsync("/api/v1/products", new { gtin = gtin13, name = new { vi = "x" } })).StatusCode);
        var badCheck = gtin13[..12] + (gtin13[12] - '0' + 1) % 10;
        var bad = await producer.Client.PostAsJsonAsync("/api/v1/products", new { gtin = badCheck, name = new { vi = "x" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("check digit", (string)JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["errors"]!["gtin"]![0]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await producer.Client.PostAsJsonAsync("/api/v1/products", new { gtin = "8934567890120", name = new { vi = "x" } })).StatusCode);

        var fetched = await producer.Client.GetFromJsonAsync<JsonObject>(created.Headers.Location);
        Assert.Equal("Chè Shan tuyết", (string)fetched!["name"]!["vi"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await producer.Client.GetAsync($"/api/v1/products/{producer.NewGtin()}")).StatusCode);
    }

    [Fact]
    public async Task Lots_follow_the_contract_status_codes()
    {
        var producer = await app.NewProducerAsync();
        var other = await app.NewProducerAsync();
        var gtin = await producer.RegisterProductAsync();

        var created = await producer.Client.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = "CS-2611/A", expiryDate = "2026-12-31" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/v1/lots/{gtin}/CS-2611%2FA", created.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Conflict, (await producer.Client.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = "CS-2611/A" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await producer.Client.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = "LÔ 1" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await producer.Client.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = new string('A', 21) })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await producer.Client.PostAsJsonAsync("/api/v1/lots", new { gtin = producer.NewGtin(), lot = "X" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.Client.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = "THEIRS" })).StatusCode);
    }

    [Fact]
    public async Task Locations_validate_kind_and_coordinates()
    {
        var producer = await app.NewProducerAsync();
        var ok = await producer.Client.PostAsJsonAsync("/api/v1/locations", new
        {
            code = "VT-01", name = "Vùng trồng Phù Lưu", kind = "growing_area", province = "Tuyên Quang", latitude = 22.07, longitude = 105.03,
        });
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        var bad = await producer.Client.PostAsJsonAsync("/api/v1/locations", new { code = "X", name = "x", kind = "moon", latitude = 95.0 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("kind"));
        Assert.True(errors.ContainsKey("latitude"));
    }

    [Fact]
    public async Task Only_the_admin_registers_producers_and_inspectors()
    {
        var producer = await app.NewProducerAsync();
        var body = new { name = "x", agency = "QLTT" };
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ClientWithKey(null).PostAsJsonAsync("/api/v1/inspectors", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ClientWithKey("trc_nope_nope").PostAsJsonAsync("/api/v1/inspectors", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await producer.Client.PostAsJsonAsync("/api/v1/inspectors", body)).StatusCode);
        var created = await app.Admin().PostAsJsonAsync("/api/v1/inspectors", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["apiKey"]!;
        Assert.StartsWith("trc_", key);
    }

    [Fact]
    public async Task Health_endpoints_answer()
    {
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);
    }
}
