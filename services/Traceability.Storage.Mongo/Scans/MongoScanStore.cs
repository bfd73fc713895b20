namespace Traceability.Storage.Mongo;

public sealed class MongoScanStore(MongoDatabaseContext db) : IScanStore, IMongoIndexedStore
{
    public Task EnsureIndexesAsync(CancellationToken ct) => db.Scans.Indexes.CreateManyAsync(ScanIndexes, ct);

    /// <summary>Scans of a lot by time, and of a serial by time (clone detection reads both); a period's scans (the report).</summary>
    public static IReadOnlyList<CreateIndexModel<ScanDoc>> ScanIndexes { get; } =
    [
        new(Builders<ScanDoc>.IndexKeys.Ascending(x => x.LotKey).Ascending(x => x.Time.Ticks), new() { Name = "lotKey_time" }),
        new(Builders<ScanDoc>.IndexKeys.Ascending(x => x.SerialKey).Ascending(x => x.Time.Ticks),
            new() { Name = "serialKey_time", Sparse = true }),
        // The periodic report: a period's consumer scans by province and day, read from the index alone.
        new(Builders<ScanDoc>.IndexKeys.Ascending(x => x.Time.Ticks).Ascending(x => x.Source).Ascending(x => x.Province).Ascending(x => x.Unknown),
            new() { Name = "time_source_province" }),
    ];

    /// <summary>Scans are best-effort telemetry: unordered, acknowledged by the primary only.</summary>
    public async Task AddScansAsync(IReadOnlyList<ScanRecord> batch, CancellationToken ct = default)
    {
        if (batch.Count == 0) return;
        await db.Scans.WithWriteConcern(WriteConcern.W1)
            .InsertManyAsync(batch.Select(ScanDoc.From), new InsertManyOptions { IsOrdered = false }, ct);
    }

    public async Task<IReadOnlyList<ScanRecord>> GetScansAsync(string key, DateTimeOffset since, CancellationToken ct = default) =>
        [.. (await db.Scans.Find(ScansFilter(key, since)).SortBy(x => x.Time.Ticks).ToListAsync(ct)).Select(d => d.ToRecord())];

    public async Task<byte[]> GetDailySaltAsync(DateOnly day, byte[] proposal, CancellationToken ct = default)
    {
        var salts = db.Collection<ScanSaltDoc>(Collections.ScanSalts);
        var key = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await salts.DeleteManyAsync(Builders<ScanSaltDoc>.Filter.Lt(x => x.Day, key), ct);
        // Upsert with $setOnInsert: the first host to ask sets the day's salt, every other one reads it.
        var stored = await salts.FindOneAndUpdateAsync(Builders<ScanSaltDoc>.Filter.Eq(x => x.Day, key),
            Builders<ScanSaltDoc>.Update.SetOnInsert(x => x.Salt, proposal),
            new FindOneAndUpdateOptions<ScanSaltDoc> { IsUpsert = true, ReturnDocument = ReturnDocument.After }, ct);
        return stored.Salt;
    }

    /// <summary>A lot key matches every scan of the lot; a serial key only that serial's.</summary>
    public static FilterDefinition<ScanDoc> ScansFilter(string key, DateTimeOffset since)
    {
        var f = Builders<ScanDoc>.Filter;
        var byKey = key.Contains("/21/", StringComparison.Ordinal) ? f.Eq(x => x.SerialKey, key) : f.Eq(x => x.LotKey, key);
        // Scans of unregistered codes are counted by the report, never part of a lot's history.
        return byKey & f.Gte(x => x.Time.Ticks, since.UtcTicks) & f.Ne(x => x.Unknown, true);
    }
}
