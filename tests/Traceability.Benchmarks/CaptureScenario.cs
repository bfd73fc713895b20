using Microsoft.Data.Sqlite;

namespace Traceability.Benchmarks;

/// <summary>
/// Issue 2: 1,000-event EPCIS documents posted over loopback until 200,000 events are stored, beside
/// the rate of inserting the same rows straight into SQLite with one prepared statement in one
/// transaction (the limit). Then the same events in the XML binding (EPCIS 2.0 XML documents, validated against the
/// XSDs by the host), on the same host and lots, beside the JSON rate (issue 20: XML ≥ 0.7 × JSON).
/// </summary>
internal static class CaptureScenario
{
    private const int EventsPerDocument = 1000;
    private const int Concurrency = 8;

    public static async Task<IReadOnlyList<Row>> RunAsync(ScenarioContext context)
    {
        var totalEvents = context.Quick ? 20_000 : 200_000;
        var documents = totalEvents / EventsPerDocument;
        // The first tenth, sent before the clock starts, warms the host up: the JIT's tiered
        // compilation and the connection pools would otherwise be part of the figure.
        var warmUp = documents / 10;
        // The limit first, so that nothing of the host (its WAL checkpoints after the load) runs beside
        // it; warmed up like the host, with a first run that is not counted.
        var sample = System.Text.Json.JsonDocument.Parse(Document(0)).RootElement
            .GetProperty("epcisBody").GetProperty("eventList")[0].GetRawText();
        RawSqliteInsertRate(Enumerable.Repeat(sample, warmUp * EventsPerDocument).ToList());
        var limit = RawSqliteInsertRate(Enumerable.Repeat(sample, totalEvents).ToList());
        using var host = await HostProcess.StartAsync(context.Provider, context.HostEnvironment);
        var producer = await SetUpProducerAsync(host, warmUp + documents);
        var bodies = Enumerable.Range(0, warmUp + documents).Select(d => Document(d)).ToList();

        async Task PostAsync(int from, int to, List<string>? xmlBodies = null)
        {
            var next = from - 1;
            await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
            {
                int d;
                while ((d = Interlocked.Increment(ref next)) < to)
                {
                    var response = await producer.PostAsync("/epcis/capture", xmlBodies is null
                        ? new StringContent(bodies[d], Encoding.UTF8, "application/json")
                        : new StringContent(xmlBodies[d], Encoding.UTF8, "application/xml"));
                    if (response.StatusCode != HttpStatusCode.Accepted)
                        throw new InvalidOperationException($"capture {d}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    if ((d - from) % 20 == 0) Console.WriteLine($"   {(d - from + 1) * EventsPerDocument:N0} events sent");
                }
            }));
        }
        Console.WriteLine($"   warm-up: {warmUp * EventsPerDocument:N0} events");
        await PostAsync(0, warmUp);
        var clock = Stopwatch.StartNew();
        await PostAsync(warmUp, warmUp + documents);
        clock.Stop();
        var captureRate = totalEvents / clock.Elapsed.TotalSeconds;

        // The same events (new eventIDs) as EPCIS 2.0 XML documents, warmed up and timed the same way.
        var xmlBodies = Enumerable.Range(0, warmUp + documents).Select(d => XmlDocument(d)).ToList();
        Console.WriteLine($"   XML warm-up: {warmUp * EventsPerDocument:N0} events");
        await PostAsync(0, warmUp, xmlBodies);
        clock.Restart();
        await PostAsync(warmUp, warmUp + documents, xmlBodies);
        clock.Stop();
        var xmlRate = totalEvents / clock.Elapsed.TotalSeconds;
        return
        [
            new Row("capture", $"EPCIS capture over HTTP, {EventsPerDocument}-event documents, {Concurrency} clients, {context.Provider}, {totalEvents:N0} events after {warmUp * EventsPerDocument:N0} of warm-up",
                captureRate, "events/s", "one prepared INSERT in one transaction", limit, "≥ 30 %"),
            new Row("capture", $"EPCIS XML capture (application/xml, XSD-validated), the same events and load, after the JSON pass",
                xmlRate, "events/s", "the JSON capture above", captureRate, "≥ 70 %"),
        ];
    }

    private static readonly string Gtin = "0893777700001" + Gs1CheckDigit.Compute("0893777700001");

    private static async Task<HttpClient> SetUpProducerAsync(HostProcess host, int lots)
    {
        using var admin = host.Client();
        var created = await admin.PostAsJsonAsync("/api/v1/producers", new
        {
            name = "Benchmark cooperative", taxCode = "5000777777", address = "Hàm Yên", province = "Tuyên Quang",
            companyPrefixes = new[] { "8937777" },
        });
        var key = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["apiKey"]!;
        var producer = host.Client(key);
        (await producer.PostAsJsonAsync("/api/v1/products", new { gtin = Gtin, name = new { vi = "Cam" } })).EnsureSuccessStatusCode();
        for (var lot = 0; lot < lots; lot++)
            (await producer.PostAsJsonAsync("/api/v1/lots", new { gtin = Gtin, lot = $"B{lot}" })).EnsureSuccessStatusCode();
        return producer;
    }

    private static string Document(int d)
    {
        var sb = new StringBuilder(EventsPerDocument * 500);
        sb.Append("""{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-01T00:00:00Z","epcisBody":{"eventList":[""");
        var start = new DateTimeOffset(2026, 10, 1, 8, 0, 0, TimeSpan.FromHours(7));
        for (var i = 0; i < EventsPerDocument; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append($$"""{"type":"ObjectEvent","eventID":"urn:uuid:{{Guid.NewGuid()}}","eventTime":"{{start.AddSeconds(d * EventsPerDocument + i):yyyy-MM-ddTHH:mm:ss.fffzzz}}","eventTimeZoneOffset":"+07:00","action":"OBSERVE","bizStep":"{{(i % 2 == 0 ? "shipping" : "receiving")}}","disposition":"in_transit","readPoint":{"id":"urn:epc:id:sgln:8937777.00001.0"},"quantityList":[{"epcClass":"https://id.gs1.org/01/{{Gtin}}/10/B{{d}}","quantity":{{i + 1}},"uom":"KGM"}]}""");
        }
        sb.Append("]}}");
        return sb.ToString();
    }

    /// <summary>The same events as <see cref="Document"/> in the EPCIS 2.0 XML binding.</summary>
    private static string XmlDocument(int d)
    {
        var sb = new StringBuilder(EventsPerDocument * 700);
        sb.Append("""<?xml version="1.0" encoding="UTF-8"?><epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2026-11-01T00:00:00Z"><EPCISBody><EventList>""");
        var start = new DateTimeOffset(2026, 10, 1, 8, 0, 0, TimeSpan.FromHours(7));
        for (var i = 0; i < EventsPerDocument; i++)
            sb.Append($"""<ObjectEvent><eventTime>{start.AddSeconds(d * EventsPerDocument + i):yyyy-MM-ddTHH:mm:ss.fffzzz}</eventTime><eventTimeZoneOffset>+07:00</eventTimeZoneOffset><eventID>urn:uuid:{Guid.NewGuid()}</eventID><action>OBSERVE</action><bizStep>urn:epcglobal:cbv:bizstep:{(i % 2 == 0 ? "shipping" : "receiving")}</bizStep><disposition>urn:epcglobal:cbv:disp:in_transit</disposition><readPoint><id>urn:epc:id:sgln:8937777.00001.0</id></readPoint><quantityList><quantityElement><epcClass>https://id.gs1.org/01/{Gtin}/10/B{d}</epcClass><quantity>{i + 1}</quantity><uom>KGM</uom></quantityElement></quantityList></ObjectEvent>""");
        sb.Append("</EventList></EPCISBody></epcis:EPCISDocument>");
        return sb.ToString();
    }

    /// <summary>The limit: one event row per JSON of <paramref name="jsons"/> through one prepared statement, in one transaction.</summary>
    internal static double RawSqliteInsertRate(IReadOnlyList<string> jsons)
    {
        var rows = jsons.Count;
        var file = Path.Combine(Path.GetTempPath(), $"trace-raw-{Guid.NewGuid():N}.db");
        try
        {
            using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; " +
                    "CREATE TABLE events(seq INTEGER PRIMARY KEY, event_id TEXT UNIQUE, event_type TEXT, event_time INTEGER, biz_step TEXT, json TEXT);";
                pragma.ExecuteNonQuery();
            }
            var clock = Stopwatch.StartNew();
            using var tx = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO events(event_id, event_type, event_time, biz_step, json) VALUES ($id, 'ObjectEvent', $t, 'shipping', $json)";
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            var time = insert.Parameters.Add("$t", SqliteType.Integer);
            var body = insert.Parameters.Add("$json", SqliteType.Text);
            insert.Prepare();
            for (var i = 0; i < rows; i++)
            {
                id.Value = "urn:uuid:" + Guid.NewGuid();
                time.Value = 1_790_000_000_000L + i;
                body.Value = jsons[i];
                insert.ExecuteNonQuery();
            }
            tx.Commit();
            return rows / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(file) + "*")) File.Delete(f);
        }
    }
}
