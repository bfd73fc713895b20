using Traceability.Domain;

namespace Traceability.Storage.Sqlite;

public sealed class SqliteStatisticsStore(SqliteDatabase db) : IStatisticsStore
{
    // A product's GTIN inside a lot key `01/{gtin14}/10/…`: complaints and inspections name a lot by
    // key, and the product (not the lot, whose key is escaped) leads to the producer and its province.
    private const string ProductOfLotKey = "substr(lot_key, 4, 14)";

    public async Task<StoreStatistics> GetStatisticsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        var p = new { from = Ms(from), to = Ms(to) };
        using var connection = db.OpenReader();
        async Task<IReadOnlyList<StatGroup>> Groups(string sql) =>
            [.. (await connection.QueryAsync<(string? Province, string Key, long Count)>(new CommandDefinition(sql, p, cancellationToken: ct))
                .ConfigureAwait(false)).Select(g => new StatGroup(g.Province, g.Key, g.Count))];

        var producers = await Groups(
            """
            SELECT province, 'registered', COUNT(*) FROM producers WHERE created_at >= @from AND created_at < @to GROUP BY province
            UNION ALL SELECT province, 'total', COUNT(*) FROM producers WHERE created_at < @to GROUP BY province
            UNION ALL SELECT province, 'suspended', COUNT(*) FROM producers WHERE suspended <> 0 GROUP BY province
            """).ConfigureAwait(false);
        // Each producer's events of the period, counted in the (producer_id, record_time) index: one
        // range per producer, never a table row (the record-time index would fetch every event's row
        // for its producer). The same counts say which producers were active.
        var eventsByProducer = await Groups(
            """
            SELECT province, 'events', SUM(n) FROM
                (SELECT p.province, (SELECT COUNT(*) FROM events e INDEXED BY ix_events_producer
                    WHERE e.producer_id = p.id AND e.record_time >= @from AND e.record_time < @to) AS n FROM producers p)
                WHERE n > 0 GROUP BY province
            UNION ALL SELECT province, 'active', COUNT(*) FROM
                (SELECT p.province, EXISTS (SELECT 1 FROM events e INDEXED BY ix_events_producer
                    WHERE e.producer_id = p.id AND e.record_time >= @from AND e.record_time < @to) AS active FROM producers p)
                WHERE active GROUP BY province
            """).ConfigureAwait(false);
        var catalog = await Groups(
            """
            SELECT pr.province, 'products', COUNT(*) FROM products x JOIN producers pr ON pr.id = x.producer_id
                WHERE x.created_at >= @from AND x.created_at < @to GROUP BY pr.province
            UNION ALL SELECT pr.province, 'lots', COUNT(*) FROM lots x JOIN producers pr ON pr.id = x.producer_id
                WHERE x.created_at >= @from AND x.created_at < @to GROUP BY pr.province
            """).ConfigureAwait(false);
        // One Vietnam day at a time: each is a range of the covering (time, …) index grouped by province,
        // a small sort; grouping a year by day in one query would sort every scan of it (measured: 1.8 s
        // against 0.9 s for a million scans).
        var scanDays = new List<StatGroup>();
        using (var day = connection.CreateCommand())
        {
            day.CommandText = """
                SELECT province, unknown, COUNT(*) FROM scans INDEXED BY ix_scans_time
                WHERE time >= $from AND time < $to AND source = 'consumer' GROUP BY province, unknown
                """;
            var (start, end) = (day.Parameters.Add("$from", SqliteType.Integer), day.Parameters.Add("$to", SqliteType.Integer));
            for (var cursor = from; cursor < to;)
            {
                // From the cursor to the next Vietnam midnight (or the period's end).
                var date = VietnamTime.Today(cursor);
                var next = new DateTimeOffset(date.AddDays(1).ToDateTime(TimeOnly.MinValue), VietnamTime.Offset);
                var until = next < to ? next : to;
                var key = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                (start.Value, end.Value) = (Ms(cursor), Ms(until));
                using (var reader = await day.ExecuteReaderAsync(ct).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                        scanDays.Add(new StatGroup(reader.IsDBNull(0) ? null : reader.GetString(0), key + (reader.GetInt64(1) != 0 ? "|1" : "|0"), reader.GetInt64(2)));
                }
                cursor = until;
            }
        }
        var recalls = await Groups(
            """
            SELECT pr.province, 'issued', COUNT(*) FROM recalls r LEFT JOIN products x ON x.gtin = r.gtin LEFT JOIN producers pr ON pr.id = x.producer_id
                WHERE r.issued_at >= @from AND r.issued_at < @to GROUP BY pr.province
            UNION ALL SELECT pr.province, 'ended', COUNT(*) FROM recalls r LEFT JOIN products x ON x.gtin = r.gtin LEFT JOIN producers pr ON pr.id = x.producer_id
                WHERE r.lifted_at >= @from AND r.lifted_at < @to GROUP BY pr.province
            """).ConfigureAwait(false);
        var complaints = await Groups(
            $"""
            SELECT pr.province, r.category || '|' || r.status, COUNT(*) FROM reports r
                LEFT JOIN products x ON x.gtin = {ProductOfLotKey} LEFT JOIN producers pr ON pr.id = x.producer_id
                WHERE r.created_at >= @from AND r.created_at < @to GROUP BY pr.province, r.category, r.status
            """).ConfigureAwait(false);
        // The deciding time is the last change of a resolved or rejected complaint (the store keeps no other).
        var daysToClose = await Groups(
            $"""
            SELECT pr.province, printf('%.2f', (r.updated_at - r.created_at) / 86400000.0) AS days, COUNT(*) FROM reports r
                LEFT JOIN products x ON x.gtin = {ProductOfLotKey} LEFT JOIN producers pr ON pr.id = x.producer_id
                WHERE r.created_at >= @from AND r.created_at < @to AND r.status IN ('resolved', 'rejected') GROUP BY pr.province, days
            """).ConfigureAwait(false);
        var inspections = await Groups(
            $"""
            SELECT pr.province, i.result, COUNT(*) FROM inspections i
                LEFT JOIN products x ON x.gtin = {ProductOfLotKey} LEFT JOIN producers pr ON pr.id = x.producer_id
                WHERE i.inspected_at >= @from AND i.inspected_at < @to GROUP BY pr.province, i.result
            """).ConfigureAwait(false);
        var published = await Groups(
            $"""
            SELECT pr.province, 'published', COUNT(*) FROM inspections i
                LEFT JOIN products x ON x.gtin = {ProductOfLotKey} LEFT JOIN producers pr ON pr.id = x.producer_id
                WHERE i.inspected_at >= @from AND i.inspected_at < @to AND i.published_at IS NOT NULL GROUP BY pr.province
            """).ConfigureAwait(false);
        // One index range per state: a GROUP BY would sort every row of the period.
        var sync = await Groups(string.Join(" UNION ALL ", Enum.GetNames<OutboxState>().Select(state =>
            $"SELECT NULL, '{state}', COUNT(*) FROM outbox INDEXED BY ix_outbox_created WHERE state = '{state}' AND created_at >= @from AND created_at < @to")))
            .ConfigureAwait(false);

        return new StoreStatistics
        {
            Producers = [.. producers, .. eventsByProducer.Where(g => g.Key == "active")],
            Catalog = [.. catalog, .. eventsByProducer.Where(g => g.Key == "events")],
            ScansByDay = [.. ScanGroups(scanDays, unknown: false)],
            UnknownScans = [.. ScanGroups(scanDays, unknown: true)],
            Recalls = recalls,
            Complaints = complaints,
            ComplaintDaysToClose = daysToClose,
            Inspections = inspections,
            PublishedInspections = published,
            Sync = [.. sync.Where(g => g.Count > 0)],
        };
    }

    private static IEnumerable<StatGroup> ScanGroups(IEnumerable<StatGroup> groups, bool unknown) =>
        groups.Where(g => g.Key.EndsWith(unknown ? "|1" : "|0", StringComparison.Ordinal)).Select(g => g with { Key = g.Key[..^2] });
}
