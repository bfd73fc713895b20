using Microsoft.Data.Sqlite;
using Traceability.Domain;

namespace Traceability.Benchmarks;

/// <summary>
/// Issue 18: the periodic report's statistics query over a year of 1,000,000 events and 1,000,000
/// scans (quick: 100,000 each), all provinces, then one province. The rows are written straight into
/// the host's SQLite file (SQL, in this process: loading a million events over HTTP would take most of
/// the run and is measured by `capture`), spread over the current year across 340 producers whose
/// provinces mix current and pre-merger names, with an outbox row per event and consumer scans from
/// every province. The figure is `GET /api/v1/statistics` over HTTP as staff call it (median of 5
/// after one warm-up); the limit is the bare floor of the same work: two SQL COUNTs of the year's
/// events and scans on one connection of this process.
/// </summary>
internal static class StatisticsScenario
{
    private const int Producers = 340;

    public static async Task<IReadOnlyList<Row>> RunAsync(ScenarioContext context)
    {
        if (context.Provider != "Sqlite") throw new NotSupportedException("The statistics scenario loads its rows with SQL: Sqlite only.");
        var rows = context.Quick ? 100_000 : 1_000_000;
        var year = VietnamTime.Today(DateTimeOffset.UtcNow).Year;
        var start = new DateTimeOffset(year, 1, 1, 0, 0, 0, VietnamTime.Offset);
        var end = start.AddYears(1);

        using var host = await HostProcess.StartAsync(context.Provider, new Dictionary<string, string> { ["Sync:Enabled"] = "false" });
        var database = Path.Combine(host.DataDirectory, "traceability.db");
        Console.WriteLine($"   loading {rows:N0} events and {rows:N0} scans over {year} …");
        var load = Stopwatch.StartNew();
        Load(database, rows, start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds());
        Console.WriteLine($"   loaded in {load.Elapsed.TotalSeconds:N0} s");

        using var client = host.Client();
        var all = await TimeAsync(client, $"/api/v1/statistics?from={year}-01-01&to={year}-12-31");
        var one = await TimeAsync(client, $"/api/v1/statistics?from={year}-01-01&to={year}-12-31&province={Uri.EscapeDataString("Tuyên Quang")}");
        var floor = Floor(database, start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds());
        Console.WriteLine($"   all provinces {all:N0} ms, one province {one:N0} ms, SQL counts {floor:N0} ms");

        const string limitName = "two SQL COUNTs of the year's events and scans, one connection";
        return
        [
            new Row("statistics", $"GET /api/v1/statistics, a year, all provinces ({rows:N0} events, {rows:N0} scans, {Producers} producers; median of 5)",
                all, "ms", limitName, floor, "< 2,000 ms"),
            new Row("statistics", "the same, one province (Tuyên Quang, with the pre-merger Hà Giang)", one, "ms", limitName, floor, "< 2,000 ms"),
        ];
    }

    private static async Task<double> TimeAsync(HttpClient client, string url)
    {
        (await client.GetAsync(url)).EnsureSuccessStatusCode(); // warm-up: JIT, page cache
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            (await client.GetAsync(url)).EnsureSuccessStatusCode();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return times.Order().ElementAt(times.Count / 2);
    }

    private static double Floor(string database, long from, long to)
    {
        using var connection = Open(database);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM events WHERE record_time >= $from AND record_time < $to), " +
                              "(SELECT COUNT(*) FROM scans WHERE time >= $from AND time < $to)";
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$to", to);
        command.ExecuteScalar(); // warm-up
        var watch = Stopwatch.StartNew();
        command.ExecuteScalar();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static SqliteConnection Open(string database)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, DefaultTimeout = 60 }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Producers in every current and pre-merger province, their products and lots, the events with outbox rows, scans, complaints, inspections, recalls.</summary>
    private static void Load(string database, int rows, long from, long to)
    {
        using var connection = Open(database);
        SqliteTransaction? transaction = connection.BeginTransaction();
        void Run(string sql, params (string Name, object Value)[] parameters)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            command.CommandTimeout = 600;
            foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
            command.ExecuteNonQuery();
        }
        (string, object)[] p = [("$from", from), ("$span", to - from), ("$rows", rows), ("$producers", Producers)];

        var names = ProvinceMap.Mapping.SelectMany(m => m.Former.Prepend(m.Current)).ToList();
        Run("CREATE TEMP TABLE names (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
        for (var i = 0; i < names.Count; i++) Run("INSERT INTO names VALUES ($id, $name)", ("$id", i), ("$name", names[i]));
        p = [.. p, ("$names", names.Count)];
        const string Series = "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $count) ";

        Run(Series + """
            INSERT INTO producers (id, name, tax_code, address, province, company_prefixes, suspended, created_at)
            SELECT 'bp' || i, 'HTX ' || i, printf('%010d', 9000000000 + i), 'Xã ' || i, (SELECT name FROM names WHERE id = i % $names),
                   '[]', i % 50 = 0, $from + i * ($span / $count) FROM n
            """, [.. p, ("$count", Producers)]);
        Run(Series + """
            INSERT INTO products (gtin, producer_id, name_vi, standards, created_at, updated_at)
            SELECT printf('0893%010d', i), 'bp' || (i % $producers), 'Sản phẩm ' || i, '[]', $from + abs(random()) % $span, $from FROM n
            """, [.. p, ("$count", Producers * 2)]);
        Run(Series + """
            INSERT INTO lots (gtin, lot, producer_id, created_at)
            SELECT printf('0893%010d', i % ($producers * 2)), 'L' || i, 'bp' || (i % $producers), $from + abs(random()) % $span FROM n
            """, [.. p, ("$count", rows / 10)]);
        Run(Series + """
            INSERT INTO events (event_id, producer_id, event_type, event_time, record_time, action, biz_step, json, keys)
            SELECT 'urn:bench:' || i, 'bp' || (abs(random()) % $producers), 'ObjectEvent', t, t, 'OBSERVE', 'shipping', '{}', '[]'
            FROM (SELECT i, $from + abs(random()) % $span AS t FROM n)
            """, [.. p, ("$count", rows)]);
        // One outbox row per event, as capture writes them: most pushed, some waiting, a few refused.
        Run("""
            INSERT INTO outbox (kind, key, state, created_at, updated_at, next_attempt_at)
            SELECT 'Event', event_id, CASE WHEN seq % 100 = 0 THEN 'Failed' WHEN seq % 10 = 0 THEN 'Pending' ELSE 'Synced' END,
                   record_time, record_time, record_time FROM events
            """);
        // Scans: 95 % consumers', 2 % of them of unknown codes, 1 in 20 without a province.
        Run(Series + """
            INSERT INTO scans (time, lot_key, province, ua_class, source, unknown)
            SELECT $from + abs(random()) % $span, '01/' || printf('0893%010d', i % ($producers * 2)) || '/10/L' || (i % 1000),
                   CASE WHEN i % 20 = 0 THEN NULL ELSE (SELECT name FROM names WHERE id = i % $names) END, 'mobile',
                   CASE WHEN i % 20 = 1 THEN 'inspector' ELSE 'consumer' END, i % 50 = 2 FROM n
            """, [.. p, ("$count", rows)]);
        Run(Series + """
            INSERT INTO reports (id, created_at, updated_at, lot_key, category, message, status)
            SELECT 'r' || i, t, t + abs(random()) % 1728000000, '01/' || printf('0893%010d', i % ($producers * 2)) || '/10/L1',
                   CASE i % 3 WHEN 0 THEN 'quality' WHEN 1 THEN 'counterfeit' ELSE 'other' END, 'x',
                   CASE i % 4 WHEN 0 THEN 'new' WHEN 1 THEN 'in_review' ELSE 'closed' END
            FROM (SELECT i, $from + abs(random()) % $span AS t FROM n)
            """, [.. p, ("$count", rows / 200)]);
        Run(Series + """
            INSERT INTO inspections (id, inspector_id, created_at, inspected_at, code, lot_key, result)
            SELECT 'i' || i, 'ins', t, t, 'x', '01/' || printf('0893%010d', i % ($producers * 2)) || '/10/L1',
                   CASE i % 3 WHEN 0 THEN 'compliant' WHEN 1 THEN 'violation' ELSE 'authentic' END
            FROM (SELECT i, $from + abs(random()) % $span AS t FROM n)
            """, [.. p, ("$count", rows / 200)]);
        Run(Series + """
            INSERT INTO recalls (id, gtin, reason, severity, issued_by, issued_at, lifted_at)
            SELECT 'rc' || i, printf('0893%010d', i), 'x', 'high', 'admin', $from + abs(random()) % $span,
                   CASE WHEN i % 2 = 0 THEN $from + abs(random()) % $span END FROM n
            """, [.. p, ("$count", 200)]);
        // No ANALYZE: a deployed host never runs it, so its query plans are measured as they are there.
        transaction.Commit();
    }
}
