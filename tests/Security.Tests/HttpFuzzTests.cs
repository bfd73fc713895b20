using System.Net.Http.Headers;

namespace Traceability.Security.Tests;

/// <summary>
/// 100,000 hostile requests against the host in memory: 60,000 EPCIS bodies (bytes that are not
/// UTF-8 inside strings, lone surrogate escapes, NULs, extreme and malformed times, structural
/// mutations) on <c>/epcis/capture</c> and <c>/epcis/events</c>, and 40,000 posts to every console
/// form (NUL, year-1 and year-9999 times, undecodable bytes, huge and numeric-edge values, uploads).
/// Not one may answer 5xx or log an unhandled exception. Seeded: the message names the input.
/// </summary>
public sealed partial class HttpFuzzTests : IAsyncLifetime
{
    private const int JsonInputs = 60_000;
    private const int FormInputs = 40_000;
    private const int Parallelism = 4;

    private static readonly string[] Times =
    [
        "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00-14:00", "9999-12-31T23:59:59Z",
        "9999-12-31T23:59:59-12:00", "9999-12-31T23:59:59.9999999+14:00", "1999-12-31T23:59:59.999999999Z",
        "2000-01-01T00:00:00Z", "2000-01-01T00:00:00+00:01", "2026-02-30T10:00:00Z", "2026-10-01T24:00:00Z",
        "2026-10-01T08:00:00+99:99", "0000-00-00T00:00:00Z", "2026-10-01T08:00:00.1234567891234Z", "2100-01-01T00:00:00Z", "",
    ];

    private static readonly string[] Surrogates =
        ["\\ud800", "\\udfff", "\\ud83c", "x\\udc00y", "\\udf4a\\ud83c", "\\ud83c\\ud83c", "\\ud83c\\udf4a", "\\uDBFF", "\\\\ud800"];

    private static readonly byte[][] BadUtf8 =
    [
        [0xff], [0xfe, 0xff], [0xc3], [0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80],
    ];

    private SecurityApp app = null!;
    private HttpClient api = null!;
    private string gtin = "";

    public async ValueTask InitializeAsync()
    {
        app = new SecurityApp();
        var (_, key, prefix) = await app.RegisterProducerAsync();
        api = app.ClientWithKey(key);
        gtin = SecurityApp.Gtin14(prefix, 1);
        (await api.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = "Cam sành" } })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = "L1" })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/locations", new { code = "VUON", name = "Vườn", kind = "farm" })).EnsureSuccessStatusCode();
        producerKey = key;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Sixty_thousand_hostile_epcis_bodies_get_no_server_error()
    {
        var random = new Random(20261202);
        var seed = JsonNode.Parse(SeedEvent)!;
        var statuses = new ConcurrentDictionary<int, int>();
        var unicodeRefusals = 0;
        var failures = new ConcurrentQueue<string>();

        await RunAsync(api, JsonInputs, i =>
        {
            var single = i % 2 == 1;
            return new Input(single ? "/epcis/events" : "/epcis/capture", Body(random, seed, i % 5, single));
        }, async (input, response) =>
        {
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            if (status >= 500 || (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json"))
                failures.Enqueue($"{status} for {input.Url} {Show(input.Body)}");
            else if (status == 400 && (await response.Content.ReadAsStringAsync()).Contains("not valid Unicode", StringComparison.Ordinal))
                Interlocked.Increment(ref unicodeRefusals);
        });

        Assert.True(failures.IsEmpty, $"{failures.Count} failures, first: {string.Join("\n", failures.Take(5))}");
        AssertNoUnhandledExceptionLogged();
        // The inputs reached every answer that matters: refusals for bad text, and real captures.
        Assert.True(unicodeRefusals > JsonInputs / 10, $"only {unicodeRefusals} bodies were refused for their text");
        Assert.True(statuses.GetValueOrDefault(400) > JsonInputs / 2, string.Join(", ", statuses));
        Assert.True(statuses.GetValueOrDefault(201) + statuses.GetValueOrDefault(202) > 100, string.Join(", ", statuses));
    }

    private sealed record Input(string Url, byte[] Body, string ContentType = "application/json");

    /// <summary>Generates inputs in order from one seeded generator, sends them <see cref="Parallelism"/> at a time.</summary>
    private static async Task RunAsync(HttpClient client, int count, Func<int, Input> next, Func<Input, HttpResponseMessage, Task> check)
    {
        const int batch = 1000;
        for (var start = 0; start < count; start += batch)
        {
            var inputs = Enumerable.Range(start, Math.Min(batch, count - start)).Select(next).ToList();
            await Parallel.ForEachAsync(inputs, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (input, ct) =>
            {
                var content = new ByteArrayContent(input.Body);
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(input.ContentType);
                using var response = await client.PostAsync(input.Url, content, ct);
                await check(input, response);
            });
        }
    }

    private void AssertNoUnhandledExceptionLogged()
    {
        var unhandled = app.Logs.Lines.Where(l => l.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase)).Take(3).ToList();
        Assert.True(unhandled.Count == 0, string.Join("\n", unhandled.Select(l => l[..Math.Min(2000, l.Length)])));
    }

    private static string Show(byte[] body) => body.Length > 3000 ? Convert.ToBase64String(body[..3000]) + "…" : Convert.ToBase64String(body);

    /// <summary>One hostile body of class <paramref name="kind"/>: 0 bad UTF-8, 1 surrogates, 2 NULs, 3 times, 4 structure.</summary>
    private byte[] Body(Random random, JsonNode seed, int kind, bool single)
    {
        var evt = seed.DeepClone();
        const string marker = "@@FUZZ@@";
        byte[] replacement = [];
        switch (kind)
        {
            case 0:
                SetRandomString(random, evt, marker);
                replacement = [.. Encoding.UTF8.GetBytes(FuzzTests.RandomText(random, "aé€ ", 4)), .. BadUtf8[random.Next(BadUtf8.Length)],
                    .. Encoding.UTF8.GetBytes(FuzzTests.RandomText(random, "b🍊", 3))];
                break;
            case 1:
                if (random.Next(4) == 0) evt.AsObject()["ex:" + marker] = "v"; else SetRandomString(random, evt, marker);
                replacement = Encoding.UTF8.GetBytes(Surrogates[random.Next(Surrogates.Length)]);
                break;
            case 2:
                SetRandomString(random, evt, marker);
                replacement = random.Next(3) == 0 ? [0x00] : Encoding.UTF8.GetBytes(random.Next(2) == 0 ? "\\u0000" : "a\\u0000b");
                break;
            case 3:
                var field = random.Next(6);
                var time = Times[random.Next(Times.Length)];
                var o = evt.AsObject();
                if (field == 0) o["eventTime"] = time;
                else if (field == 1) o["recordTime"] = time;
                else if (field == 2) o["errorDeclaration"] = new JsonObject { ["declarationTime"] = time };
                else if (field == 3) o["sensorElementList"]![0]!["sensorMetadata"]!["time"] = time;
                else if (field == 4) o["sensorElementList"]![0]!["sensorReport"]![0]!["time"] = time;
                else o["eventTimeZoneOffset"] = time.Length > 6 ? time[^6..] : time;
                break;
            default:
                for (var m = random.Next(1, 4); m > 0; m--) FuzzTests.MutateTree(random, evt);
                break;
        }
        var node = single ? evt : JsonNode.Parse(DocumentShell)!.AsObject();
        if (!single) node["epcisBody"]!["eventList"]!.AsArray().Add(evt);
        var text = node.ToJsonString().Replace("{GTIN}", gtin, StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(text);
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return bytes;
        var byteAt = Encoding.UTF8.GetByteCount(text.AsSpan(0, at));
        return [.. bytes[..byteAt], .. replacement, .. bytes[(byteAt + marker.Length)..]];
    }

    private static void SetRandomString(Random random, JsonNode root, string marker)
    {
        var strings = new List<JsonValue>();
        Strings(root, strings);
        var target = strings[random.Next(strings.Count)];
        var text = target.GetValue<string>();
        var cut = random.Next(text.Length + 1);
        target.ReplaceWith(JsonValue.Create(text[..cut] + marker + text[cut..]));
    }

    private static void Strings(JsonNode node, List<JsonValue> into)
    {
        if (node is JsonObject obj) foreach (var (_, v) in obj) { if (v is not null) Strings(v, into); }
        else if (node is JsonArray arr) foreach (var v in arr) { if (v is not null) Strings(v, into); }
        else if (node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String) into.Add(value);
    }

    private const string DocumentShell = """
        {"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",{"ex":"https://example.vn/ex/"}],
         "type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-01T00:00:00Z","epcisBody":{"eventList":[]}}
        """;

    private const string SeedEvent = """
        {"@context":{"ex":"https://example.vn/ex/"},"type":"ObjectEvent","eventTime":"2026-10-01T08:00:00+07:00","eventTimeZoneOffset":"+07:00",
         "action":"OBSERVE","bizStep":"shipping","disposition":"in_transit",
         "quantityList":[{"epcClass":"https://id.gs1.org/01/{GTIN}/10/L1","quantity":12.5,"uom":"KGM"}],
         "readPoint":{"id":"urn:epc:id:sgln:8936001.00001.0"},
         "ilmd":{"cbvmda:lotNumber":"L1","ex:variety":"Cam sành Hàm Yên"},
         "bizTransactionList":[{"type":"po","bizTransaction":"urn:epcglobal:cbv:bt:8936001000027:1234"}],
         "sensorElementList":[{"sensorMetadata":{"time":"2026-10-01T08:00:00Z"},"sensorReport":[{"type":"Temperature","value":4.5,"uom":"CEL","time":"2026-10-01T08:00:00Z"}]}],
         "ex:note":"Giao cho HTX","ex:detail":{"driver":"Nguyễn Văn A","stops":["Hàm Yên","Hà Nội"]}}
        """;
}
