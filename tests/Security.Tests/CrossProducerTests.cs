using Traceability.Domain.Epcis;
using Traceability.Storage;
using Traceability.Sync.Tests.Infrastructure;

namespace Traceability.Security.Tests;

/// <summary>
/// A processor may name anyone's lot as an input, so its events show on its supplier's pages, in
/// the supplier's trace export and in the portal push. Nothing it may capture, and nothing stored
/// before capture checked the event times, may break those for the supplier.
/// </summary>
public sealed class CrossProducerTests : IAsyncLifetime
{
    private SimulatorHost portal = null!;
    private SecurityApp app = null!;
    private HttpClient supplier = null!, processor = null!;
    private string supplierGtin = "", processorGtin = "", processorId = "";

    public async ValueTask InitializeAsync()
    {
        portal = await SimulatorHost.StartAsync();
        app = new SecurityApp { Settings = portal.HostSettings() };
        (supplier, supplierGtin, _) = await ProducerWithLotAsync(1);
        (processor, processorGtin, processorId) = await ProducerWithLotAsync(2);
        var first = await supplier.PostAsync("/epcis/capture", Json(Document(Event("ObjectEvent", "2026-10-01T08:00:00+07:00",
            $$""" "action":"ADD","bizStep":"commissioning","quantityList":[{"epcClass":"{{Class(supplierGtin)}}","quantity":10,"uom":"KGM"}]"""))));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        await portal.DisposeAsync();
    }

    [Fact]
    public async Task A_transformation_dated_9999_is_refused_with_the_field_path_and_the_suppliers_page_stays_up()
    {
        var response = await processor.PostAsync("/epcis/capture", Json(Document(Transformation("9999-12-31T23:59:59Z", ""))));

        await AssertRefusedAsync(response, "eventList[0].eventTime");
        var single = await processor.PostAsync("/epcis/events", Json(Transformation("0001-01-01T00:00:00-07:00", "")));
        await AssertRefusedAsync(single, "eventTime");
        await AssertSuppliersViewsWorkAsync();
    }

    [Fact]
    public async Task Every_timestamp_of_an_event_is_held_to_the_window_with_its_path()
    {
        const string old = "1999-12-31T23:59:59Z";
        var tomorrow = DateTimeOffset.UtcNow.AddDays(1).AddMinutes(10).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var response = await processor.PostAsync("/epcis/capture", Json(Document(
            Transformation("2026-10-02T08:00:00Z", $$""","recordTime":"{{old}}" """),
            Transformation("2026-10-02T09:00:00Z", $$""","errorDeclaration":{"declarationTime":"{{tomorrow}}","reason":"incorrect_data"}"""),
            Transformation("2026-10-02T10:00:00Z", $$""","sensorElementList":[{"sensorMetadata":{"time":"2026-10-02T10:00:00Z","startTime":"{{old}}"},"sensorReport":[{"type":"Temperature","value":4}]}]"""),
            Transformation("2026-10-02T11:00:00Z", ""","sensorElementList":[{"sensorReport":[{"type":"Temperature","value":4},{"type":"Temperature","time":"tomorrow"}]}]"""))));

        var errors = await AssertRefusedAsync(response, "eventList[0].recordTime");
        Assert.Equal(
            ["eventList[0].recordTime", "eventList[1].errorDeclaration.declarationTime", "eventList[2].sensorElementList[0].sensorMetadata.startTime",
             "eventList[3].sensorElementList[0].sensorReport[1].time"],
            errors.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Contains("2000-01-01T00:00:00Z", errors["eventList[0].recordTime"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_event_a_producer_may_capture_breaks_another_producers_page_json_trace_export_or_push()
    {
        // The last minutes of the window, west of UTC, with nine fractional digits (EPCIS allows more than .NET reads).
        var latest = DateTimeOffset.UtcNow.AddDays(1).AddMinutes(-5).ToOffset(TimeSpan.FromHours(-12))
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture) + "89-12:00";
        var hostile = new List<string>
        {
            Transformation("2000-01-01T14:00:00+14:00", ""","eventTimeZoneOffset":"+14:00" """),
            Transformation(latest, ""","eventTimeZoneOffset":"-12:00" """),
            Transformation("2026-10-03T08:00:00Z", ""","eventTimeZoneOffset":"+99:99","ilmd":{"ex:x":"<script>alert(1)</script>\u0000\ud83c\udf4a","ex:n":1e308}""",
                quantity: "79228162514264337593543950335"),
            Transformation("2026-10-04T08:00:00Z", ""","readPoint":{"id":"urn:x:\"<b>"},"bizLocation":{"id":"https://id.gs1.org/414/8936001000027"},"ex:v":"=cmd|' /C calc'!A0","ex:o":{"a":[null,true,-0.0,"\u0000"]}""",
                quantity: "0.000000000000000000000000001"),
            Transformation("2026-10-05T08:00:00Z", $$""","eventID":"urn:x:%00%ZZ","sensorElementList":[{"sensorMetadata":{"time":"2000-01-01T00:00:00Z"},"sensorReport":[{"type":"Temperature","value":-1e308,"time":"2000-01-01T00:00:00.000000001Z"}]}],"bizTransactionList":[{"type":"po","bizTransaction":"urn:x:{{new string('9', 3000)}}"}]"""),
            // Its error declaration (the same event with errorDeclaration; a declaration needs the event stored, here earlier in the document).
            Transformation("2026-10-05T08:00:00Z", $$""","eventID":"urn:x:%00%ZZ","errorDeclaration":{"declarationTime":"2026-10-05T08:00:00Z","reason":"ex:\u2028"},"sensorElementList":[{"sensorMetadata":{"time":"2000-01-01T00:00:00Z"},"sensorReport":[{"type":"Temperature","value":-1e308,"time":"2000-01-01T00:00:00.000000001Z"}]}],"bizTransactionList":[{"type":"po","bizTransaction":"urn:x:{{new string('9', 3000)}}"}]"""),
        };
        var response = await processor.PostAsync("/epcis/capture", Json(Document([.. hostile])));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());

        await AssertSuppliersViewsWorkAsync();
        await AssertEverythingPushedAsync();
    }

    [Fact]
    public async Task Times_stored_before_the_window_existed_render_everywhere_without_failing()
    {
        // As a store written by an older version holds them: straight into the store, past capture's checks.
        var store = app.Services.GetRequiredService<IEventStore>();
        var stored = new List<StoredEvent>();
        var outbox = new List<OutboxMessage>();
        foreach (var time in (string[])["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00"])
        {
            var e = EpcisJson.ParseEvent(JsonDocument.Parse(Transformation(time, "")).RootElement).Events.Single();
            var now = DateTimeOffset.UtcNow;
            stored.Add(new StoredEvent(e.EventId, processorId, e.Type, e.EventTime, now, e.Action, e.BizStep, e.Disposition,
                e.ReadPointKey, e.BizLocationKey, e.ToJson(), e.Keys, "legacy"));
            outbox.Add(new OutboxMessage(OutboxKind.Event, e.EventId, OutboxKind.Lot, $"01/{processorGtin}/10/P1", null));
        }
        var now2 = DateTimeOffset.UtcNow;
        await store.CaptureAsync(new CaptureJob("legacy", processorId, false, true, now2, now2, [], stored.Count, 0), stored, outbox,
            TestContext.Current.CancellationToken);

        await AssertSuppliersViewsWorkAsync();
        await AssertEverythingPushedAsync();
    }

    private async Task AssertSuppliersViewsWorkAsync()
    {
        var path = $"/01/{supplierGtin}/10/A1";
        var visitor = app.CreateClient();
        foreach (var (accept, media) in new[] { ("text/html", "text/html"), ("application/json", "application/json") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "Accept", accept } } };
            var page = await visitor.SendAsync(request);
            var body = await page.Content.ReadAsStringAsync();
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{accept}: {(int)page.StatusCode} {body}");
            Assert.Equal(media, page.Content.Headers.ContentType?.MediaType);
            if (media == "application/json") JsonDocument.Parse(body).Dispose();
            Assert.DoesNotContain("<script>alert", body, StringComparison.Ordinal);
        }
        foreach (var format in (string[])["json", "csv", "xlsx"])
        {
            var trace = await app.Admin().GetAsync($"/api/v1/trace/{supplierGtin}/A1?format={format}");
            Assert.True(trace.StatusCode == HttpStatusCode.OK, $"trace {format}: {(int)trace.StatusCode} {await trace.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The worker drains the outbox and the portal took every row: none failed, none stuck retrying.</summary>
    private async Task AssertEverythingPushedAsync()
    {
        var clock = Stopwatch.StartNew();
        JsonObject status;
        do
        {
            await Task.Delay(100);
            status = (await app.Admin().GetFromJsonAsync<JsonObject>("/api/v1/sync/status"))!;
        } while (((long)status["pending"]! > 0 || (long)status["inFlight"]! > 0) && clock.Elapsed < TimeSpan.FromSeconds(60));
        var failed = await app.Admin().GetStringAsync("/api/v1/sync/failed");
        Assert.True((long)status["pending"]! == 0 && (long)status["inFlight"]! == 0 && (long)status["failed"]! == 0, $"{status}; failed: {failed}");
    }

    private static async Task<JsonObject> AssertRefusedAsync(HttpResponseMessage response, string path)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonNode.Parse(text)!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(path), text);
        return errors;
    }

    private async Task<(HttpClient, string, string)> ProducerWithLotAsync(int item)
    {
        var (id, key, prefix) = await app.RegisterProducerAsync();
        var client = app.ClientWithKey(key);
        var gtin = SecurityApp.Gtin14(prefix, item);
        var lot = item == 1 ? "A1" : "P1";
        (await client.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = "Sản phẩm " + item } })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/v1/lots", new { gtin, lot })).EnsureSuccessStatusCode();
        return (client, gtin, id);
    }

    private static string Class(string gtin, string lot = "A1") => $"https://id.gs1.org/01/{gtin}/10/{lot}";

    /// <summary>The processor's transformation of the supplier's lot A1 into its own lot P1.</summary>
    private string Transformation(string time, string extra, string quantity = "5") => Event("TransformationEvent", time,
        $$""" "bizStep":"commissioning","inputQuantityList":[{"epcClass":"{{Class(supplierGtin)}}","quantity":{{quantity}},"uom":"KGM"}],"outputQuantityList":[{"epcClass":"{{Class(processorGtin, "P1")}}","quantity":1,"uom":"KGM"}]{{extra}}""");

    private static string Event(string type, string time, string body) =>
        $$$"""{"type":"{{{type}}}","eventTime":"{{{time}}}",{{{(body.Contains("eventTimeZoneOffset", StringComparison.Ordinal) ? "" : "\"eventTimeZoneOffset\":\"+07:00\",")}}}{{{body}}}}""";

    private static string Document(params string[] events) =>
        $$$"""{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",{"ex":"https://example.vn/ex/"}],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-01T00:00:00Z","epcisBody":{"eventList":[{{{string.Join(",", events)}}}]}}""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
