using System.Text.Json;

namespace Traceability.Benchmarks;

/// <summary>
/// Issue 22 point 3: capture of documents that look like a producer's ERP export, not the simplest
/// kind. Each 1,000-event document spreads over 20–50 lots of two products; every event names a
/// registered read point and business location by GLN (half as sgln URNs, half as Digital Links) and
/// a purchase order or despatch advice; commissioning carries ILMD (with an extension of the ERP's
/// own namespace), shipping and receiving their source and destination lists, and one event in ten a
/// sensorElementList (temperature and humidity). Posted by one client, one document after another,
/// then by 8 clients; each beside a raw SQLite insert of the same event rows (the JSON the documents
/// carry), measured before the host starts.
/// </summary>
internal static class CaptureErpScenario
{
    private const int EventsPerDocument = 1000;
    private const string Prefix = "8936666";
    /// <summary>Lots the documents draw from: ERP exports come day after day about the same lots.</summary>
    private const int LotPool = 600;

    private static readonly string[] Gtins =
        [.. new[] { "0893666600001", "0893666600002" }.Select(g => g + Gs1CheckDigit.Compute(g))];

    /// <summary>Farm, packhouse, cold store, distribution centre: registered with their GLNs.</summary>
    private static readonly string[] Glns =
        [.. Enumerable.Range(1, 4).Select(i => $"{Prefix}{i:D5}").Select(g => g + Gs1CheckDigit.Compute(g))];

    private static readonly string[] Steps =
        ["commissioning", "inspecting", "packing", "storing", "shipping", "receiving", "storing", "shipping", "receiving", "storing"];

    public static async Task<IReadOnlyList<Row>> RunAsync(ScenarioContext context)
    {
        var timedEvents = context.Quick ? 10_000 : 100_000;
        var documents = timedEvents / EventsPerDocument;
        var warmUp = Math.Max(2, documents / 10);
        var sequence = 0;
        List<string> Bodies(int count) => [.. Enumerable.Range(0, count).Select(_ => Document(sequence++))];

        // The limit first (as in capture): every event row of one pass, warmed up with a tenth.
        var rows = Bodies(documents).SelectMany(EventJsons).ToList();
        CaptureScenario.RawSqliteInsertRate(rows.Take(warmUp * EventsPerDocument).ToList());
        var limit = CaptureScenario.RawSqliteInsertRate(rows);
        Console.WriteLine($"   raw insert of the same rows: {limit:N0} events/s");

        using var host = await HostProcess.StartAsync(context.Provider, context.HostEnvironment);
        using var producer = await SetUpAsync(host);
        var results = new List<Row>();
        foreach (var clients in new[] { 1, 8 })
        {
            Console.WriteLine($"   {clients} client(s), warm-up: {warmUp * EventsPerDocument:N0} events");
            await PostAsync(producer, Bodies(warmUp), clients);
            var timed = Bodies(documents);
            var clock = Stopwatch.StartNew();
            await PostAsync(producer, timed, clients);
            var rate = timedEvents / clock.Elapsed.TotalSeconds;
            Console.WriteLine($"   {clients} client(s): {rate:N0} events/s");
            results.Add(new Row("capture-erp",
                $"ERP-like EPCIS documents over HTTP (1,000 events over 20–50 lots, GLN readPoint/bizLocation, bizTransactionList, ILMD, " +
                $"source/destination, 10 % sensor data), {(clients == 1 ? "1 client posting sequentially" : $"{clients} clients")}, {context.Provider}, " +
                $"{timedEvents:N0} events after {warmUp * EventsPerDocument:N0} of warm-up",
                rate, "events/s", "one prepared INSERT of the same event rows in one transaction", limit, clients == 1 ? "≥ 15 %" : "≥ 30 %"));
        }
        return results;
    }

    private static async Task PostAsync(HttpClient producer, List<string> bodies, int clients) =>
        await LoadTool.ForEachAsync(bodies.Count, clients, async d =>
        {
            using var response = await producer.PostAsync("/epcis/capture", new StringContent(bodies[d], Encoding.UTF8, "application/json"));
            if (response.StatusCode != HttpStatusCode.Accepted)
                throw new InvalidOperationException($"capture-erp {d}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        });

    /// <summary>The producer, its two products, the pool of lots and the four places with their GLNs.</summary>
    private static async Task<HttpClient> SetUpAsync(HostProcess host)
    {
        using var admin = host.Client();
        var created = await admin.PostAsJsonAsync("/api/v1/producers", new
        {
            name = "Công ty Nông sản Hàm Yên", taxCode = "5000666666", address = "Xã Phù Lưu, Tuyên Quang", province = "Tuyên Quang",
            companyPrefixes = new[] { Prefix },
        });
        var key = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["apiKey"]!;
        var producer = host.Client(key);
        foreach (var (gtin, name) in Gtins.Zip(["Cam sành", "Bưởi"]))
            (await producer.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = name } })).EnsureSuccessStatusCode();
        foreach (var (gln, i) in Glns.Select((g, i) => (g, i)))
            (await producer.PostAsJsonAsync("/api/v1/locations", new
            {
                code = $"P{i}", name = $"Cơ sở {i}", kind = i == 0 ? "farm" : "warehouse", province = "Tuyên Quang", gln,
            })).EnsureSuccessStatusCode();
        await LoadTool.ForEachAsync(LotPool, 8, async lot =>
        {
            using var response = await producer.PostAsJsonAsync("/api/v1/lots", new { gtin = Gtins[lot % 2], lot = $"E{lot}" });
            response.EnsureSuccessStatusCode();
        });
        return producer;
    }

    /// <summary>The events of a document as the raw insert stores them: each event's own JSON.</summary>
    private static IEnumerable<string> EventJsons(string document)
    {
        using var parsed = JsonDocument.Parse(document);
        return [.. parsed.RootElement.GetProperty("epcisBody").GetProperty("eventList").EnumerateArray().Select(e => e.GetRawText())];
    }

    /// <summary>Document <paramref name="d"/>: 20–50 lots of the pool, their events in the ERP's order (lot by lot).</summary>
    internal static string Document(int d)
    {
        var lots = 20 + d * 7 % 31;
        var firstLot = d * 37 % LotPool;
        var sb = new StringBuilder(EventsPerDocument * 900);
        sb.Append($$"""{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",{"erp":"https://erp.example.vn/epcis/"}],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-01T00:00:00Z","epcisBody":{"eventList":[""");
        var start = new DateTimeOffset(2026, 10, 1, 6, 0, 0, TimeSpan.FromHours(7)).AddHours(d);
        for (var i = 0; i < EventsPerDocument; i++)
        {
            var lot = (firstLot + i * lots / EventsPerDocument) % LotPool;
            var step = Steps[i % Steps.Length];
            var place = Glns[i % Steps.Length < 4 ? i % 2 : 2 + i % 2];
            var gtin = Gtins[lot % 2];
            // Half the ERP's identifiers as EPC URNs, half as Digital Links: both are in use.
            var (epcClass, readPoint, bizLocation) = lot % 2 == 0
                ? ($"urn:epc:class:lgtin:{Prefix}.0{gtin[8..13]}.E{lot}", $"urn:epc:id:sgln:{Prefix}.{place[7..12]}.0", $"urn:epc:id:sgln:{Prefix}.{place[7..12]}.0")
                : ($"https://id.gs1.org/01/{gtin}/10/E{lot}", $"https://id.gs1.org/414/{place}/254/{i % 8}", $"https://id.gs1.org/414/{place}");
            if (i > 0) sb.Append(',');
            sb.Append($$"""{"type":"ObjectEvent","eventID":"urn:uuid:{{Guid.NewGuid()}}","eventTime":"{{start.AddSeconds(i):yyyy-MM-ddTHH:mm:ss.fffzzz}}","eventTimeZoneOffset":"+07:00","action":"{{(step == "commissioning" ? "ADD" : "OBSERVE")}}","bizStep":"{{step}}","disposition":"{{(step is "shipping" ? "in_transit" : "in_progress")}}","quantityList":[{"epcClass":"{{epcClass}}","quantity":{{100 + i % 50}},"uom":"KGM"}],"readPoint":{"id":"{{readPoint}}"},"bizLocation":{"id":"{{bizLocation}}"},"bizTransactionList":[{"type":"po","bizTransaction":"urn:epcglobal:cbv:bt:{{Glns[0]}}:PO-{{d}}-{{lot}}"}""");
            if (step is "shipping" or "receiving")
                sb.Append($$""",{"type":"desadv","bizTransaction":"urn:epcglobal:cbv:bt:{{Glns[0]}}:DA-{{d}}-{{i}}"}],"sourceList":[{"type":"owning_party","source":"urn:epc:id:pgln:{{Prefix}}.00000"},{"type":"location","source":"urn:epc:id:sgln:{{Prefix}}.{{Glns[2][7..12]}}.0"}],"destinationList":[{"type":"owning_party","destination":"urn:epc:id:pgln:{{Prefix}}.00000"},{"type":"location","destination":"urn:epc:id:sgln:{{Prefix}}.{{Glns[3][7..12]}}.0"}]""");
            else sb.Append(']');
            if (step == "commissioning")
                sb.Append($$""","ilmd":{"erp:harvestPlot":"PL-{{lot % 40}}","erp:grade":"A","erp:bestBefore":"2027-01-{{1 + lot % 28:D2}}"}""");
            if (i % 10 == 3)
                sb.Append($$""","sensorElementList":[{"sensorMetadata":{"time":"{{start.AddSeconds(i):yyyy-MM-ddTHH:mm:sszzz}}","deviceID":"urn:epc:id:giai:{{Prefix}}.S{{i % 4}}"},"sensorReport":[{"type":"Temperature","value":{{4 + i % 5}}.5,"uom":"CEL"},{"type":"RelativeHumidity","value":{{80 + i % 10}},"uom":"A93"}]}]""");
            sb.Append('}');
        }
        sb.Append("]}}");
        return sb.ToString();
    }
}
