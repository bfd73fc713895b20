namespace Traceability.Storage.Sqlite;

/// <summary>
/// The lookup read model (migration 0020). Puts and the change feed's appends go through the one
/// write queue, so "store unless a newer change names the key" is a single conditional INSERT that
/// no append can interleave with.
/// </summary>
public sealed class SqliteLookupViewStore(SqliteDatabase db) : ILookupViewStore
{
    public async Task<LookupView?> GetLookupViewAsync(string key, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<(string Key, string Gtin, string? Lot, long Version, string Json, long? ValidUntil, long BuiltAt)>(
            new CommandDefinition("SELECT key, gtin, lot, version, json, valid_until, built_at FROM lookup_views WHERE key = @key",
                new { key }, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => new LookupView(r.Key, r.Gtin, r.Lot, (int)r.Version, r.Json, FromMs(r.ValidUntil), r.BuiltAt)).FirstOrDefault();
    }

    public Task<int> PutLookupViewsAsync(IReadOnlyList<LookupView> views, CancellationToken ct = default) =>
        views.Count == 0 ? Task.FromResult(0) : db.WriteAsync(connection => views.Sum(v => connection.Execute(
            """
            INSERT INTO lookup_views (key, gtin, lot, version, json, valid_until, built_at)
            SELECT @Key, @Gtin, @Lot, @Version, @Json, @ValidUntil, @BuiltAt
            WHERE NOT EXISTS (SELECT 1 FROM changes WHERE key IN (@Key, @ProductKey, '*') AND seq > @BuiltAt)
            ON CONFLICT (key) DO UPDATE SET gtin = excluded.gtin, lot = excluded.lot, version = excluded.version, json = excluded.json,
                valid_until = excluded.valid_until, built_at = excluded.built_at
            WHERE excluded.built_at >= lookup_views.built_at
            """,
            new { v.Key, v.Gtin, v.Lot, v.Version, v.Json, ValidUntil = Ms(v.ValidUntil), v.BuiltAt, ProductKey = ChangeKeys.Product(v.Gtin) })), ct);

    public Task DeleteLookupViewsAsync(IReadOnlyList<string> changeKeys, CancellationToken ct = default) =>
        changeKeys.Count == 0 ? Task.CompletedTask : db.WriteAsync(connection => SqliteSharedWrites.DeleteLookupViews(connection, changeKeys), ct);

    public Task<long> DeleteLookupViewsExceptAsync(int version, CancellationToken ct = default) =>
        db.WriteAsync(connection => (long)connection.Execute("DELETE FROM lookup_views WHERE version <> @version", new { version }), ct);

    public async Task<LookupLotPage> ListLotsForLookupAsync(string? after, int max, int? missingVersion, DateTimeOffset now, CancellationToken ct = default)
    {
        // The page token is the last lot's GTIN (always 14 digits) followed by its lot number.
        var (gtin, lot) = after is { Length: > 14 } ? (after[..14], after[14..]) : ("", "");
        using var connection = db.OpenReader();
        var rows = (await connection.QueryAsync<(string Gtin, string Lot)>(new CommandDefinition(
            """
            SELECT l.gtin, l.lot FROM lots l
            WHERE (l.gtin > @gtin OR (l.gtin = @gtin AND l.lot > @lot))
              AND (@version IS NULL OR NOT EXISTS (SELECT 1 FROM lookup_views v
                   WHERE v.gtin = l.gtin AND v.lot = l.lot AND v.version = @version AND (v.valid_until IS NULL OR v.valid_until > @now)))
            ORDER BY l.gtin, l.lot LIMIT @max
            """, new { gtin, lot, version = missingVersion, now = Ms(now), max }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
        return new LookupLotPage([.. rows.Select(r => new LookupLot(r.Gtin, r.Lot))], rows.Count < max ? null : rows[^1].Gtin + rows[^1].Lot);
    }
}
