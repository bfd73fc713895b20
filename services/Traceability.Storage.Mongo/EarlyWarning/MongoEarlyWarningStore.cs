namespace Traceability.Storage.Mongo;

public sealed class MongoEarlyWarningStore(MongoDatabaseContext db) : IEarlyWarningStore, IMongoIndexedStore
{
    public async Task EnsureIndexesAsync(CancellationToken ct)
    {
        await SignalCounts.Indexes.CreateManyAsync(SignalCountIndexes, ct);
        await EarlyAlerts.Indexes.CreateManyAsync(EarlyAlertIndexes, ct);
    }

    public static readonly IReadOnlyList<CreateIndexModel<SignalCountDoc>> SignalCountIndexes =
    [
        new(Builders<SignalCountDoc>.IndexKeys.Ascending(x => x.Signal).Ascending(x => x.Gtin).Ascending(x => x.Day), new() { Name = "signal_gtin_day" }),
    ];

    public static readonly IReadOnlyList<CreateIndexModel<EarlyAlertDoc>> EarlyAlertIndexes =
    [
        new(Builders<EarlyAlertDoc>.IndexKeys.Ascending(x => x.Status).Descending(x => x.Score), new() { Name = "status_score" }),
        new(Builders<EarlyAlertDoc>.IndexKeys.Ascending(x => x.ProducerId).Descending(x => x.Score), new() { Name = "producer_score" }),
        // Only alerts waiting for the webhook carry PushDue.
        new(Builders<EarlyAlertDoc>.IndexKeys.Ascending(x => x.PushDue), new() { Name = "push_due", Sparse = true }),
    ];

    private IMongoCollection<SignalCountDoc> SignalCounts => db.Collection<SignalCountDoc>(Collections.EarlyWarningCounts);

    private IMongoCollection<EarlyAlertDoc> EarlyAlerts => db.Collection<EarlyAlertDoc>(Collections.EarlyWarningAlerts);

    public async Task<IReadOnlyList<SignalCount>> AddSignalCountsAsync(IReadOnlyList<SignalCount> increments, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("add-signal-counts");
        // Each cell is one document updated atomically ($inc on upsert), so hosts counting at once
        // never lose an increment; no transaction is needed for independent cells.
        var totals = new List<SignalCount>(increments.Count);
        foreach (var c in increments)
        {
            var update = Builders<SignalCountDoc>.Update
                .SetOnInsert(x => x.Signal, c.Signal).SetOnInsert(x => x.Gtin, c.Gtin).SetOnInsert(x => x.Lot, c.Lot)
                .SetOnInsert(x => x.Province, c.Province).SetOnInsert(x => x.Day, StoredDay.Text(c.Day))
                .Inc(x => x.Count, c.Count);
            var options = new FindOneAndUpdateOptions<SignalCountDoc> { IsUpsert = true, ReturnDocument = ReturnDocument.After };
            var key = SignalCountDoc.KeyOf(c);
            SignalCountDoc doc;
            try
            {
                doc = await SignalCounts.FindOneAndUpdateAsync<SignalCountDoc>(x => x.Id == key, update, options, ct);
            }
            catch (Exception ex) when (IsDuplicateKey(ex))
            {
                // Two hosts created the cell at once: the other insert won; increment it.
                doc = await SignalCounts.FindOneAndUpdateAsync<SignalCountDoc>(x => x.Id == key, update, options, ct);
            }
            totals.Add(doc.ToRecord());
        }
        return totals;
    }

    public async Task<IReadOnlyList<SignalCount>> GetSignalCountsAsync(string signal, string gtin, string? lot, string? province,
        DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var f = Builders<SignalCountDoc>.Filter;
        var filter = f.Eq(x => x.Signal, signal) & f.Eq(x => x.Gtin, gtin)
            & f.Gte(x => x.Day, StoredDay.Text(from)) & f.Lte(x => x.Day, StoredDay.Text(to));
        if (lot is not null) filter &= f.Eq(x => x.Lot, lot);
        if (province is not null) filter &= f.Eq(x => x.Province, province);
        return [.. (await SignalCounts.Find(filter).ToListAsync(ct)).Select(d => d.ToRecord())];
    }

    public async Task<(EarlyAlert Alert, bool Created)> UpsertEarlyAlertAsync(EarlyAlert alert, double? pushStep, CancellationToken ct)
    {
        using var activity = MongoStoreTelemetry.StartOperation("upsert-early-alert");
        var doc = EarlyAlertDoc.From(alert);
        // A new alert carries its push mark in the insert itself: one atomic write.
        if (pushStep is not null) doc.PushDue = alert.LastSeen.ToUnixTimeMilliseconds();
        try
        {
            await EarlyAlerts.InsertOneAsync(doc, cancellationToken: ct);
            return (alert, true);
        }
        catch (Exception ex) when (IsDuplicateKey(ex))
        {
            // The case is already an alert: its evidence grows, its life cycle stays the staff's.
            var update = Builders<EarlyAlertDoc>.Update
                .Set(x => x.Score, alert.Score).Set(x => x.Count, alert.Count).Set(x => x.Baseline, alert.Baseline)
                .Set(x => x.ReasonVi, alert.ReasonVi).Set(x => x.ReasonEn, alert.ReasonEn).Max(x => x.LastSeen.Ticks, doc.LastSeen.Ticks);
            var stored = await EarlyAlerts.FindOneAndUpdateAsync<EarlyAlertDoc>(x => x.Id == alert.Id, update,
                new FindOneAndUpdateOptions<EarlyAlertDoc> { ReturnDocument = ReturnDocument.After }, ct);
            if (pushStep is { } step)
            {
                // Marked only while no push is pending and the score rose a whole step above the last one
                // pushed (the filter holds the condition, so two hosts cannot both mark it).
                var f = Builders<EarlyAlertDoc>.Filter;
                var rose = f.Lte(x => x.PushedScore, alert.Score - step);
                if (alert.Score >= step) rose |= f.Eq(x => x.PushedScore, null);
                await EarlyAlerts.UpdateOneAsync(f.Eq(x => x.Id, alert.Id) & f.Eq(x => x.PushDue, null) & rose,
                    Builders<EarlyAlertDoc>.Update.Set(x => x.PushDue, alert.LastSeen.ToUnixTimeMilliseconds()), cancellationToken: ct);
            }
            return (stored.ToRecord(), false);
        }
    }

    public async Task<IReadOnlyList<EarlyAlertPush>> ListDueEarlyAlertPushesAsync(DateTimeOffset now, int max, CancellationToken ct = default)
    {
        var f = Builders<EarlyAlertDoc>.Filter;
        var docs = await EarlyAlerts.Find(f.Ne(x => x.PushDue, null) & f.Lte(x => x.PushDue, now.ToUnixTimeMilliseconds()))
            .SortBy(x => x.PushDue).ThenBy(x => x.Id).Limit(Math.Max(1, max)).ToListAsync(ct);
        return [.. docs.Select(d => new EarlyAlertPush(d.ToRecord(), DateTimeOffset.FromUnixTimeMilliseconds(d.PushDue!.Value), d.PushAttempts))];
    }

    public async Task MarkEarlyAlertPushedAsync(string id, DateTimeOffset due, double score, double pushStep, DateTimeOffset now, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("mark-early-alert-pushed");
        var f = Builders<EarlyAlertDoc>.Filter;
        var done = await EarlyAlerts.UpdateOneAsync(f.Eq(x => x.Id, id) & f.Eq(x => x.PushDue, due.ToUnixTimeMilliseconds()),
            Builders<EarlyAlertDoc>.Update.Set(x => x.PushedScore, score).Set(x => x.PushAttempts, 0).Unset(x => x.PushDue),
            cancellationToken: ct);
        // The score rose a whole step while the push was on its way: due again.
        if (done.ModifiedCount > 0)
            await EarlyAlerts.UpdateOneAsync(f.Eq(x => x.Id, id) & f.Eq(x => x.PushDue, null) & f.Gte(x => x.Score, score + pushStep),
                Builders<EarlyAlertDoc>.Update.Set(x => x.PushDue, now.ToUnixTimeMilliseconds()), cancellationToken: ct);
    }

    public Task DeferEarlyAlertPushAsync(string id, DateTimeOffset due, DateTimeOffset next, CancellationToken ct = default) =>
        EarlyAlerts.UpdateOneAsync(x => x.Id == id && x.PushDue == due.ToUnixTimeMilliseconds(),
            Builders<EarlyAlertDoc>.Update.Set(x => x.PushDue, next.ToUnixTimeMilliseconds()).Inc(x => x.PushAttempts, 1), cancellationToken: ct);

    public async Task<EarlyAlert?> GetEarlyAlertAsync(string id, CancellationToken ct = default) =>
        (await EarlyAlerts.Find(x => x.Id == id).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<(IReadOnlyList<EarlyAlert> Items, int Total)> ListEarlyAlertsAsync(EarlyAlertQuery query, CancellationToken ct = default)
    {
        var f = Builders<EarlyAlertDoc>.Filter;
        var filter = f.Empty;
        if (query.Status is { } status) filter &= f.Eq(x => x.Status, status);
        if (query.Kind is { } kind) filter &= f.Eq(x => x.Kind, kind);
        if (query.Province is { } province) filter &= f.Eq(x => x.Province, province);
        if (query.ProducerId is { } producer) filter &= f.Eq(x => x.ProducerId, producer);
        var total = await EarlyAlerts.CountDocumentsAsync(filter, cancellationToken: ct);
        var docs = await EarlyAlerts.Find(filter).SortByDescending(x => x.Score).ThenBy(x => x.Id)
            .Skip(query.Offset).Limit(Math.Max(1, query.Limit)).ToListAsync(ct);
        return ([.. docs.Select(d => d.ToRecord())], (int)total);
    }

    // The state and its audit entry are two documents: one transaction, so no change stands without its record.
    public async Task<bool> SetEarlyAlertStateAsync(EarlyAlert changed, string expectedStatus, AuditEntry entry, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("set-early-alert-state");
        return await db.InTransactionAsync(async (s, c) =>
        {
            var update = Builders<EarlyAlertDoc>.Update
                .Set(x => x.Status, changed.Status).Set(x => x.AcknowledgedBy, changed.AcknowledgedBy)
                .Set(x => x.AcknowledgedAt, TimeDoc.From(changed.AcknowledgedAt)).Set(x => x.ClosedBy, changed.ClosedBy)
                .Set(x => x.ClosedAt, TimeDoc.From(changed.ClosedAt)).Set(x => x.Outcome, changed.Outcome);
            var result = await EarlyAlerts.UpdateOneAsync(s, x => x.Id == changed.Id && x.Status == expectedStatus, update, cancellationToken: c);
            if (result.MatchedCount == 0) return false;
            await db.Audit.InsertOneAsync(s, AuditDoc.From(entry), cancellationToken: c);
            return true;
        }, ct);
    }
}
