namespace Traceability.Storage.Sqlite;

/// <summary>
/// The key ring, product images and the change feed (migration 0010): what several hosts over one
/// database file share. Writes go through the write queue like every other write.
/// </summary>
public sealed class SqliteSharedStateStore(SqliteDatabase db) : IKeyRingStore, IImageStore, IChangeFeedStore
{
    public async Task<IReadOnlyList<KeyRingElement>> ListKeyRingAsync(CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<(string Name, string Xml, long CreatedAt)>(new CommandDefinition(
            "SELECT name, xml, created_at FROM data_protection_keys ORDER BY created_at, name", cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => new KeyRingElement(r.Name, r.Xml, FromMs(r.CreatedAt)))];
    }

    public Task<bool> AddKeyRingElementAsync(KeyRingElement element, CancellationToken ct = default) =>
        db.WriteAsync(connection => connection.Execute(
            "INSERT OR IGNORE INTO data_protection_keys (name, xml, created_at) VALUES (@Name, @Xml, @CreatedAt)",
            new { element.Name, element.Xml, CreatedAt = Ms(element.CreatedAt) }) > 0, ct);

    public Task PutImageAsync(ProductImage image, CancellationToken ct = default) =>
        db.WriteAsync(connection => connection.Execute(
            """
            INSERT INTO product_images (gtin, ext, bytes, etag, updated_at) VALUES (@Gtin, @Ext, @Bytes, @ETag, @UpdatedAt)
            ON CONFLICT (gtin) DO UPDATE SET ext = excluded.ext, bytes = excluded.bytes, etag = excluded.etag, updated_at = excluded.updated_at
            """, ImageParameters(image)), ct);

    public Task<bool> AddImageIfAbsentAsync(ProductImage image, CancellationToken ct = default) =>
        db.WriteAsync(connection => connection.Execute(
            "INSERT OR IGNORE INTO product_images (gtin, ext, bytes, etag, updated_at) VALUES (@Gtin, @Ext, @Bytes, @ETag, @UpdatedAt)",
            ImageParameters(image)) > 0, ct);

    public async Task<ProductImage?> GetImageAsync(string gtin14, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<(string Gtin, string Ext, byte[] Bytes, string ETag, long UpdatedAt)>(new CommandDefinition(
            "SELECT gtin, ext, bytes, etag, updated_at FROM product_images WHERE gtin = @gtin14", new { gtin14 }, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => new ProductImage(r.Gtin, r.Ext, r.Bytes, r.ETag, FromMs(r.UpdatedAt))).FirstOrDefault();
    }

    private static object ImageParameters(ProductImage image) =>
        new { image.Gtin, image.Ext, image.Bytes, image.ETag, UpdatedAt = Ms(image.UpdatedAt) };

    public Task AppendChangesAsync(IReadOnlyList<string> keys, string origin, DateTimeOffset at, CancellationToken ct = default) =>
        keys.Count == 0 ? Task.CompletedTask : db.WriteAsync(connection =>
        {
            foreach (var key in keys)
                connection.Execute("INSERT INTO changes (key, origin, at) VALUES (@key, @origin, @at)", new { key, origin, at = Ms(at) });
            // In the same write: no reader sees the change without the views it makes stale gone.
            SqliteSharedWrites.DeleteLookupViews(connection, keys);
        }, ct);

    public async Task<IReadOnlyList<StoreChange>> ReadChangesAsync(long after, int max, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<(long Seq, string Key, string Origin, long At)>(new CommandDefinition(
            "SELECT seq, key, origin, at FROM changes WHERE seq > @after ORDER BY seq LIMIT @max", new { after, max }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => new StoreChange(r.Seq, r.Key, r.Origin, FromMs(r.At)))];
    }

    public async Task<long> LatestChangeAsync(CancellationToken ct = default)
    {
        // sqlite_sequence keeps the highest sequence ever given, even once those rows are pruned.
        using var connection = db.OpenReader();
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT seq FROM sqlite_sequence WHERE name = 'changes'", cancellationToken: ct)).ConfigureAwait(false) ?? 0;
    }

    public Task PruneChangesAsync(DateTimeOffset before, CancellationToken ct = default) =>
        db.WriteAsync(connection => connection.Execute("DELETE FROM changes WHERE at < @before", new { before = Ms(before) }), ct);
}
