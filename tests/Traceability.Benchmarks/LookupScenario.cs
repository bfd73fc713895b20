using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Traceability.Domain.Gs1;

namespace Traceability.Benchmarks;

/// <summary>
/// Issue 5: resolve random known lots over loopback, 32 connections for 20 s, after loading 100,000
/// lots × 10 events, beside a trivial Kestrel endpoint (200-byte JSON) under the same load in this
/// process. Also the HTML page, and (issue 8) the host's RSS once the events are loaded.
/// </summary>
internal static class LookupScenario
{
    private const int EventsPerLot = 10;
    private const int LotsPerDocument = 100;
    private const int Connections = 32;

    public static async Task<IReadOnlyList<Row>> RunAsync(ScenarioContext context) => await RunAsync(context, measureLookups: true);

    /// <summary>The memory scenario: load only, then read the host's resident set.</summary>
    public static async Task<IReadOnlyList<Row>> MemoryAsync(ScenarioContext context) => await RunAsync(context, measureLookups: false);

    private static async Task<IReadOnlyList<Row>> RunAsync(ScenarioContext context, bool measureLookups)
    {
        var lots = context.Quick ? 5_000 : 100_000;
        var duration = TimeSpan.FromSeconds(context.Quick ? 5 : 20);
        using var host = await HostProcess.StartAsync(context.Provider);
        var rssEmpty = host.WorkingSetBytes();
        var gtin = await LoadAsync(host, lots);
        var events = lots * EventsPerLot;
        var rows = new List<Row>();
        GC.Collect();
        var rss = host.WorkingSetBytes();
        rows.Add(new Row("memory", $"host RSS after loading {events:N0} events ({lots:N0} lots), {context.Provider}",
            rss / 1048576.0, "MB", "RSS of the empty host", rssEmpty / 1048576.0, "report"));
        if (!measureLookups) return rows;

        await using var trivial = await TrivialServer.StartAsync();
        using var client = Client(Connections);
        // Warm up both (JIT, caches of the first requests) before measuring.
        await LoadTool.RunAsync(client, Connections, TimeSpan.FromSeconds(2), _ => Get(new Uri(trivial.BaseAddress, "/trivial"), "application/json"), r => r.IsSuccessStatusCode);
        await LoadTool.RunAsync(client, Connections, TimeSpan.FromSeconds(2), n => Lookup(host, gtin, n, lots, "application/json"), r => r.IsSuccessStatusCode);

        Console.WriteLine("   trivial endpoint …");
        var limit = await LoadTool.RunAsync(client, Connections, duration, _ => Get(new Uri(trivial.BaseAddress, "/trivial"), "application/json"), r => r.IsSuccessStatusCode);
        Console.WriteLine("   lookup JSON …");
        var json = await LoadTool.RunAsync(client, Connections, duration, n => Lookup(host, gtin, n, lots, "application/json"), r => r.StatusCode == HttpStatusCode.OK);
        Console.WriteLine("   lookup HTML …");
        var page = await LoadTool.RunAsync(client, Connections, duration, n => Lookup(host, gtin, n, lots, "text/html"), r => r.StatusCode == HttpStatusCode.OK);
        Check("lookup JSON", json);
        Check("page", page);

        var load = $"{Connections} connections, {duration.TotalSeconds:F0} s, {lots:N0} lots × {EventsPerLot} events";
        rows.Add(new Row("lookup", $"JSON provenance, random known lots ({load})", json.RequestsPerSecond, "req/s",
            $"trivial Kestrel {TrivialServer.BodyLength}-byte JSON", limit.RequestsPerSecond, "≥ 60 %"));
        rows.Add(new Row("lookup", "JSON provenance p50 latency", json.P50Ms, "ms", "trivial p50", limit.P50Ms, "–"));
        rows.Add(new Row("lookup", "JSON provenance p99 latency", json.P99Ms, "ms", "trivial p99", limit.P99Ms, "≤ 200 %"));
        rows.Add(new Row("page", $"HTML provenance page ({load})", page.RequestsPerSecond, "req/s",
            "trivial Kestrel", limit.RequestsPerSecond, "≥ 40 %"));
        rows.Add(new Row("page", "HTML page p99 latency", page.P99Ms, "ms", "trivial p99", limit.P99Ms, "–"));
        return rows;
    }

    private static void Check(string name, LoadTool.Result result)
    {
        if (result.Errors > 0) throw new InvalidOperationException($"{name}: {result.Errors} responses were not 200.");
    }

    private static HttpRequestMessage Lookup(HostProcess host, string gtin, int n, int lots, string accept) =>
        Get(new Uri(host.BaseAddress, $"/01/{gtin}/10/L{(uint)HashCode.Combine(n, 17) % lots}"), accept);

    private static HttpRequestMessage Get(Uri uri, string accept)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, uri);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return message;
    }

    private static HttpClient Client(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    }) { Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>Registers the lots, then captures their events in 1,000-event documents.</summary>
    private static async Task<string> LoadAsync(HostProcess host, int lots)
    {
        var clock = Stopwatch.StartNew();
        using var admin = host.Client();
        var created = await admin.PostAsJsonAsync("/api/v1/producers", new
        {
            name = "HTX Cam sành Hàm Yên", taxCode = "5000888888", address = "Xã Phù Lưu, Hàm Yên", province = "Tuyên Quang",
            companyPrefixes = new[] { "8938888" },
        });
        var key = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["apiKey"]!;
        using var producer = host.Client(key);
        var gtin = "0893888800001" + Gs1CheckDigit.Compute("0893888800001");
        (await producer.PostAsJsonAsync("/api/v1/products", new
        {
            gtin, name = new { vi = "Cam sành Hàm Yên", en = "Ham Yen king orange" }, brand = "Hàm Yên", category = "fruit",
            standards = new[] { "VietGAP" }, unit = "kg",
        })).EnsureSuccessStatusCode();
        (await producer.PostAsJsonAsync("/api/v1/locations", new { code = "FARM", name = "Vườn cam Phù Lưu", kind = "farm", province = "Tuyên Quang" }))
            .EnsureSuccessStatusCode();
        await LoadTool.ForEachAsync(lots, 16, async i =>
        {
            var response = await producer.PostAsJsonAsync("/api/v1/lots", new
            {
                gtin, lot = $"L{i}", productionDate = "2026-10-01", expiryDate = "2027-03-01", quantity = 1000, uom = "KGM",
            });
            if (response.StatusCode != HttpStatusCode.Created)
                throw new InvalidOperationException($"lot {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        });
        Console.WriteLine($"   {lots:N0} lots registered in {clock.Elapsed.TotalSeconds:F0} s");
        var documents = (lots + LotsPerDocument - 1) / LotsPerDocument;
        await LoadTool.ForEachAsync(documents, 4, async d =>
        {
            var body = Document(gtin, d * LotsPerDocument, Math.Min(lots, (d + 1) * LotsPerDocument));
            var response = await producer.PostAsync("/epcis/capture", new StringContent(body, Encoding.UTF8, "application/json"));
            if (response.StatusCode != HttpStatusCode.Accepted)
                throw new InvalidOperationException($"capture {d}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        });
        Console.WriteLine($"   {lots * EventsPerLot:N0} events loaded in {clock.Elapsed.TotalSeconds:F0} s");
        return gtin;
    }

    private static readonly string[] Steps =
        ["commissioning", "inspecting", "packing", "storing", "shipping", "receiving", "storing", "shipping", "receiving", "retail_selling"];

    private static string Document(string gtin, int fromLot, int toLot)
    {
        var sb = new StringBuilder((toLot - fromLot) * EventsPerLot * 450);
        sb.Append("""{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-01T00:00:00Z","epcisBody":{"eventList":[""");
        var start = new DateTimeOffset(2026, 10, 1, 8, 0, 0, TimeSpan.FromHours(7));
        var first = true;
        for (var lot = fromLot; lot < toLot; lot++)
            for (var e = 0; e < EventsPerLot; e++)
            {
                if (!first) sb.Append(',');
                first = false;
                var action = e == 0 ? "ADD" : "OBSERVE";
                sb.Append($$"""{"type":"ObjectEvent","eventID":"urn:uuid:{{Guid.NewGuid()}}","eventTime":"{{start.AddHours(e * 6).AddSeconds(lot):yyyy-MM-ddTHH:mm:sszzz}}","eventTimeZoneOffset":"+07:00","action":"{{action}}","bizStep":"{{Steps[e]}}","disposition":"in_progress","readPoint":{"id":"urn:epc:id:sgln:8938888.00001.0"},"quantityList":[{"epcClass":"https://id.gs1.org/01/{{gtin}}/10/L{{lot}}","quantity":100,"uom":"KGM"}]}""");
            }
        sb.Append("]}}");
        return sb.ToString();
    }
}
