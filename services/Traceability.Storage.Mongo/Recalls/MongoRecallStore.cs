namespace Traceability.Storage.Mongo;

public sealed class MongoRecallStore(MongoDatabaseContext db) : IRecallStore, ISerialStore, IMongoIndexedStore
{
    private IMongoCollection<SerialDoc> SerialDocs => db.Collection<SerialDoc>(Collections.Serials);
    private IMongoCollection<SigningKeyDoc> SigningKeyDocs => db.Collection<SigningKeyDoc>(Collections.SigningKeys);

    public async Task EnsureIndexesAsync(CancellationToken ct)
    {
        await db.Recalls.Indexes.CreateManyAsync(RecallIndexes.Recalls, ct);
        await db.RecallLots.Indexes.CreateManyAsync(RecallIndexes.RecallLots, ct);
        await SerialDocs.Indexes.CreateManyAsync(RecallIndexes.Serials, ct);
    }

    public async Task AddRecallAsync(Recall recall, IReadOnlyList<OutboxMessage> announce, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("add-recall");
        var now = db.Time.GetUtcNow();
        // The recall and one document per lot (each hosting that lot's outbox row): all or nothing.
        var lotDocs = announce.Select(m => RecallKeys.TryParseOutboxKey(m.Key, out _, out var lotKey)
            ? new RecallLotDoc { Id = m.Key, RecallId = recall.Id, LotKey = lotKey, IssuedAt = TimeDoc.From(recall.IssuedAt), Outbox = OutboxDoc.Pending(m, now) }
            : throw new ArgumentException($"'{m.Key}' is not a recall outbox key ({{recallId}}/{{lotKey}}).", nameof(announce))).ToList();
        try
        {
            await db.InTransactionAsync(async (session, token) =>
            {
                await db.Recalls.InsertOneAsync(session, RecallDoc.From(recall), cancellationToken: token);
                if (lotDocs.Count > 0) await db.RecallLots.InsertManyAsync(session, lotDocs, cancellationToken: token);
                return true;
            }, ct);
        }
        catch (Exception ex) when (IsDuplicateKey(ex))
        {
            throw new DuplicateKeyException($"The recall '{recall.Id}' already exists.");
        }
    }

    public async Task<Recall?> GetRecallAsync(string id, CancellationToken ct = default) =>
        (await db.Recalls.Find(x => x.Id == id).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<IReadOnlyList<Recall>> GetActiveRecallsForLotAsync(string gtin14, string lot, CancellationToken ct = default)
    {
        var key = LotKey.Of(gtin14, lot);
        var ids = await db.RecallLots.Find(x => x.LotKey == key && x.Active).Project(x => x.RecallId).ToListAsync(ct);
        if (ids.Count == 0) return [];
        var docs = await db.Recalls.Find(Builders<RecallDoc>.Filter.In(x => x.Id, ids) & Builders<RecallDoc>.Filter.Eq(x => x.LiftedAt, null))
            .SortByDescending(x => x.IssuedAt.Ticks).ThenBy(x => x.Id).ToListAsync(ct);
        return [.. docs.Select(d => d.ToRecord())];
    }

    public async Task<IReadOnlyList<Recall>> ListActiveRecallsAsync(int max = 500, CancellationToken ct = default) =>
        [.. (await db.Recalls.Find(x => x.LiftedAt == null).SortByDescending(x => x.IssuedAt.Ticks).ThenBy(x => x.Id)
            .Limit(Math.Max(1, max)).ToListAsync(ct)).Select(d => d.ToRecord())];

    public async Task<IReadOnlyList<Recall>> ListRecallsAsync(int max = 500, CancellationToken ct = default) =>
        [.. (await db.Recalls.Find(FilterDefinition<RecallDoc>.Empty).SortByDescending(x => x.IssuedAt.Ticks).ThenBy(x => x.Id)
            .Limit(Math.Max(1, max)).ToListAsync(ct)).Select(d => d.ToRecord())];

    // The recall, its lots' "active" flags (what GetActiveRecallsForLot reads) and the audit entry:
    // one transaction, so a lot is never shown recalled by a recall that has ended, nor the reverse.
    public async Task<bool> EndRecallAsync(string id, DateTimeOffset at, string endedBy, string reason, AuditEntry? entry,
        CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("end-recall");
        return await db.InTransactionAsync(async (s, c) =>
        {
            var result = await db.Recalls.UpdateOneAsync(s, x => x.Id == id && x.LiftedAt == null,
                Builders<RecallDoc>.Update.Set(x => x.LiftedAt, TimeDoc.From(at)).Set(x => x.EndedBy, endedBy).Set(x => x.EndReason, reason),
                cancellationToken: c);
            if (result.ModifiedCount == 0) return false;
            await db.RecallLots.UpdateManyAsync(s, x => x.RecallId == id, Builders<RecallLotDoc>.Update.Set(x => x.Active, false), cancellationToken: c);
            if (entry is not null) await db.Audit.InsertOneAsync(s, AuditDoc.From(entry), cancellationToken: c);
            return true;
        }, ct);
    }

    public async Task AddSerialsAsync(IReadOnlyList<IssuedSerial> serials, CancellationToken ct = default)
    {
        if (serials.Count == 0) return;
        using var activity = MongoStoreTelemetry.StartOperation("add-serials");
        try
        {
            await db.InTransactionAsync(async (session, token) =>
            {
                await SerialDocs.InsertManyAsync(session, serials.Select(SerialDoc.From), new InsertManyOptions { IsOrdered = true }, token);
                return true;
            }, ct);
        }
        catch (Exception ex) when (IsDuplicateKey(ex))
        {
            throw new DuplicateKeyException("One of the serials already exists for its lot.");
        }
    }

    public async Task<IssuedSerial?> GetSerialAsync(string gtin14, string lot, string serial, CancellationToken ct = default)
    {
        var id = SerialDoc.IdOf(gtin14, lot, serial);
        return (await SerialDocs.Find(x => x.Id == id).FirstOrDefaultAsync(ct))?.ToRecord();
    }

    public Task<long> CountSerialsAsync(string gtin14, string lot, CancellationToken ct = default) =>
        SerialDocs.CountDocumentsAsync(x => x.Gtin == gtin14 && x.Lot == lot, cancellationToken: ct);

    public async Task AddSigningKeyAsync(SigningKeyRecord key, CancellationToken ct = default)
    {
        try
        {
            await SigningKeyDocs.InsertOneAsync(SigningKeyDoc.From(key), cancellationToken: ct);
        }
        catch (Exception ex) when (IsDuplicateKey(ex))
        {
            throw new DuplicateKeyException($"The signing key '{key.KeyId}' already exists.");
        }
    }

    public async Task<IReadOnlyList<SigningKeyRecord>> ListSigningKeysAsync(CancellationToken ct = default) =>
        // Oldest first; _id (random) breaks ties of keys created in the same tick — rare, and harmless (the newest unretired key signs).
        [.. (await SigningKeyDocs.Find(FilterDefinition<SigningKeyDoc>.Empty).SortBy(x => x.CreatedAt.Ticks).ThenBy(x => x.Id)
            .ToListAsync(ct)).Select(d => d.ToRecord())];

    public async Task<bool> RetireSigningKeyAsync(string keyId, DateTimeOffset at, CancellationToken ct = default) =>
        (await SigningKeyDocs.UpdateOneAsync(x => x.Id == keyId && x.RetiredAt == null,
            Builders<SigningKeyDoc>.Update.Set(x => x.RetiredAt, TimeDoc.From(at)), cancellationToken: ct)).ModifiedCount > 0;
}
