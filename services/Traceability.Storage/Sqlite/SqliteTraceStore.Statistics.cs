using System.Globalization;
using Dapper;
using Traceability.Domain;

namespace Traceability.Storage.Sqlite;

public sealed partial class SqliteTraceStore : IStatisticsStore
{
    // A product's GTIN inside a lot key `01/{gtin14}/10/…`: complaints and inspections name a lot by
    // key, and the product (not the lot, whose key is escaped) leads to the producer and its province.
    private const string ProductOfLotKey = "substr(lot_key, 4, 14)";

    public async Task<StoreStatistics> GetStatisticsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        var p = new { from = Ms(from), to = Ms(to), offset = (long)VietnamTime.Offset.TotalMilliseconds, day = 86_400_000L };
        using var connection = OpenReader();
        async Task<IReadOnlyList<StatGroup>> Groups(string sql) =>
            [.. (await connection.QueryAsync<(string? Province, string Key, long Count)>(new CommandDefinition(sql, p, cancellationToken: ct))
                .ConfigureAwait(false)).Select(g => new StatGroup(g.Province, g.Key, g.Count))];

        var producers = await Groups(
            """
            SELECT province, 'registered', COUNT(*) FROM producers WHERE created_at >= @from AND created_at < @to GROUP BY province
            UNION ALL SELECT province, 'total', COUNT(*) FROM producers WHERE created_at < @to GROUP BY province
            UNION ALL SELECT province, 'suspended', COUNT(*) FROM producers WHERE suspended <> 0 GROUP BY province
            UNION ALL SELECT p.province, 'active', COUNT(*) FROM producers p
                WHERE EXISTS (SELECT 1 FROM events e WHERE e.producer_id = p.id AND e.record_time >= @from AND e.record_time < @to)
                GROUP BY p.province
            """).ConfigureAwait(false);
        // Events by producer first (the (producer_id, record_time) index), then to provinces: the join
        // touches one row per producer, not per event.
        var catalog = await Groups(
            """
            SELECT pr.province, 'products', COUNT(*) FROM products x JOIN producers pr ON pr.id = x.producer_id
                WHERE x.created_at >= @from AND x.created_at < @to GROUP BY pr.province
            UNION ALL SELECT pr.province, 'lots', COUNT(*) FROM lots x JOIN producers pr ON pr.id = x.producer_id
                WHERE x.created_at >= @from AND x.created_at < @to GROUP BY pr.province
            UNION ALL SELECT pr.province, 'events', SUM(e.n) FROM
                (SELECT producer_id, COUNT(*) AS n FROM events WHERE record_time >= @from AND record_time < @to GROUP BY producer_id) e
                JOIN producers pr ON pr.id = e.producer_id GROUP BY pr.province
            """).ConfigureAwait(false);
        // Days as numbers (Vietnam midnight to midnight), formatted below: no date function per row.
        var scanDays = await Groups(
            """
            SELECT province, CAST((time + @offset) / @day AS TEXT), COUNT(*) FROM scans INDEXED BY ix_scans_time
                WHERE time >= @from AND time < @to AND source = 'consumer' AND unknown = 0 GROUP BY province, (time + @offset) / @day
            """).ConfigureAwait(false);
        var unknownScans = await Groups(
            """
            SELECT province, CAST((time + @offset) / @day AS TEXT), COUNT(*) FROM scans INDEXED BY ix_scans_time
                WHERE time >= @from AND time < @to AND source = 'consumer' AND unknown = 1 GROUP BY province, (time + @offset) / @day
            """).ConfigureAwait(false);
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
        // The closing time is the last status change of a closed complaint (the store keeps no other).
        var daysToClose = await Groups(
            $"""
            SELECT pr.province, printf('%.2f', (r.updated_at - r.created_at) / 86400000.0) AS days, COUNT(*) FROM reports r
                LEFT JOIN products x ON x.gtin = {ProductOfLotKey} LEFT JOIN producers pr ON pr.id = x.producer_id
                WHERE r.created_at >= @from AND r.created_at < @to AND r.status = 'closed' GROUP BY pr.province, days
            """).ConfigureAwait(false);
        var inspections = await Groups(
            $"""
            SELECT pr.province, i.result, COUNT(*) FROM inspections i
                LEFT JOIN products x ON x.gtin = {ProductOfLotKey} LEFT JOIN producers pr ON pr.id = x.producer_id
                WHERE i.inspected_at >= @from AND i.inspected_at < @to GROUP BY pr.province, i.result
            """).ConfigureAwait(false);
        var sync = await Groups(
            "SELECT NULL, state, COUNT(*) FROM outbox INDEXED BY ix_outbox_created WHERE created_at >= @from AND created_at < @to GROUP BY state")
            .ConfigureAwait(false);

        return new StoreStatistics
        {
            Producers = producers,
            Catalog = catalog,
            ScansByDay = [.. scanDays.Select(g => g with { Key = DayText(long.Parse(g.Key, CultureInfo.InvariantCulture)) })],
            UnknownScans = [.. unknownScans.Select(g => g with { Key = DayText(long.Parse(g.Key, CultureInfo.InvariantCulture)) })],
            Recalls = recalls,
            Complaints = complaints,
            ComplaintDaysToClose = daysToClose,
            Inspections = inspections,
            Sync = sync,
        };
    }

    private static string DayText(long dayNumber) =>
        DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)dayNumber).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
