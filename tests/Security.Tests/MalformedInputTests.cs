namespace Traceability.Security.Tests;

/// <summary>The inputs that used to answer 500: each now gets a 400 naming the field, and no stack trace in the log.</summary>
public sealed class MalformedInputTests : IAsyncLifetime
{
    private readonly SecurityApp app = new();
    private HttpClient api = null!;
    private string key = "", gtin = "";

    public async ValueTask InitializeAsync()
    {
        var (_, producerKey, prefix) = await app.RegisterProducerAsync();
        key = producerKey;
        api = app.ClientWithKey(key);
        gtin = SecurityApp.Gtin14(prefix, 1);
        (await api.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = "Cam" } })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = "L1" })).EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData("/epcis/capture", "\"ilmd\":{\"ex:note\":\"ab@cd\"}", "epcisBody.eventList[0].ilmd.ex:note")]
    [InlineData("/epcis/events", "\"ilmd\":{\"ex:note\":\"@\"}", "ilmd.ex:note")]
    [InlineData("/epcis/events", "\"ex:o\":{\"b\":[\"x\",\"@\"]}", "ex:o.b[1]")]
    public async Task Bytes_that_are_not_utf8_inside_a_string_get_400_naming_the_field(string url, string field, string path)
    {
        var text = Body(url, field);
        var at = Encoding.UTF8.GetByteCount(text[..text.IndexOf('@', StringComparison.Ordinal)]);
        byte[] bytes = [.. Encoding.UTF8.GetBytes(text)[..at], 0xed, 0xa0, 0x80, 0xff, .. Encoding.UTF8.GetBytes(text)[(at + 1)..]];

        await AssertFieldRefusedAsync(await api.PostAsync(url, Content(bytes)), path);
    }

    [Theory]
    [InlineData("/epcis/capture", "\"ilmd\":{\"ex:note\":\"a\\ud800\"}", "epcisBody.eventList[0].ilmd.ex:note")]
    [InlineData("/epcis/events", "\"ex:o\":{\"b\":[\"\\udfff\"]}", "ex:o.b[0]")]
    [InlineData("/epcis/events", "\"ilmd\":{\"ex:\\ud83c\":1}", "ilmd")]
    [InlineData("/api/v1/products", null, "name.vi")]
    public async Task A_lone_surrogate_escape_gets_400_naming_the_field(string url, string? field, string path)
    {
        var text = field is null ? $$$"""{"gtin":"{{{gtin}}}","name":{"vi":"\udc00"}}""" : Body(url, field);

        await AssertFieldRefusedAsync(await api.PostAsync(url, Content(Encoding.UTF8.GetBytes(text))), path);
    }

    [Fact]
    public async Task A_nul_in_the_anonymous_sign_in_gets_400_naming_the_field_and_one_log_line()
    {
        var browser = await ConsoleBrowser.OpenAsync(app, null);
        var before = app.Logs.Lines.Count;

        var response = await browser.PostEncodedAsync("/console/signin", "key=trc_a%00b_c");

        await AssertFieldRefusedAsync(response, "key");
        var logged = app.Logs.Lines.Skip(before).ToList();
        Assert.DoesNotContain(logged, l => l.Contains("Exception", StringComparison.Ordinal) || l.Contains("   at ", StringComparison.Ordinal));
        Assert.Single(logged, l => l.Contains("Console form /console/signin refused: field key", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/console/events/new", "lot={0}&step=shipping&time=2026-10-01T08:00&note=a%00b", "note")]
    [InlineData("/console/events/new", "lot={0}%00&step=shipping&time=2026-10-01T08:00", "lot")]
    [InlineData("/console/transform", "inputs={0}&lot={0}&time=2026-10-01T08:00&uom=%00", "uom")]
    [InlineData("/console/products/new", "gtin=1&name.vi=a%00", "name.vi")]
    [InlineData("/console/locations/new", "code=A&name=B&kind=farm&address=%00", "address")]
    [InlineData("/console/lots/new", "gtin=1&lot=L%00", "lot")]
    [InlineData("/console/signout", "x%00=1", "x%00")]
    public async Task A_nul_in_any_console_form_field_gets_400_naming_the_field(string url, string fields, string field)
    {
        var browser = await ConsoleBrowser.OpenAsync(app, key);

        var response = await browser.PostEncodedAsync(url, string.Format(System.Globalization.CultureInfo.InvariantCulture, fields, Uri.EscapeDataString(gtin + ":L1")));

        await AssertFieldRefusedAsync(response, field);
    }

    [Theory]
    [InlineData("/console/events/new", "lot={0}&step=shipping&time=0001-01-01T00:00")]
    [InlineData("/console/events/new", "lot={0}&step=shipping&time=9999-12-31T23:59")]
    [InlineData("/console/events/new", "lot={0}&step=shipping&time=1999-12-31T23:59")]
    [InlineData("/console/transform", "inputs={0}&lot={0}&time=0001-01-01T00:00")]
    public async Task A_console_time_outside_the_window_gets_the_form_back_with_a_vietnamese_message(string url, string fields)
    {
        var browser = await ConsoleBrowser.OpenAsync(app, key);

        var response = await browser.PostEncodedAsync(url, string.Format(System.Globalization.CultureInfo.InvariantCulture, fields, Uri.EscapeDataString(gtin + ":L1")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Thời gian phải từ 01/01/2000 07:00 đến", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gtin,lot,bizStep,eventTime\r\n1\r\n")]
    [InlineData("gtin,lot,bizStep,eventTime\r\n1,2,3,4,5\r\n")]
    public async Task A_csv_row_shorter_or_longer_than_its_header_gets_the_upload_form_back(string csv)
    {
        var browser = await ConsoleBrowser.OpenAsync(app, key);
        using var form = new MultipartFormDataContent { { new StringContent(browser.Token), "__csrf" } };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new("text/csv");
        form.Add(file, "file", "short.csv");

        var response = await browser.Client.PostAsync("/console/import", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Không đọc được tệp", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private string Body(string url, string field)
    {
        var evt = $$"""{"type":"ObjectEvent","eventTime":"2026-10-01T08:00:00+07:00","action":"OBSERVE","quantityList":[{"epcClass":"https://id.gs1.org/01/{{gtin}}/10/L1"}],{{field}}}""";
        return url == "/epcis/events" ? evt : $$$"""{"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-01T00:00:00Z","epcisBody":{"eventList":[{{{evt}}}]}}""";
    }

    private static ByteArrayContent Content(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/json");
        return content;
    }

    private static async Task AssertFieldRefusedAsync(HttpResponseMessage response, string path)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonNode.Parse(text)!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(path), text);
    }
}
