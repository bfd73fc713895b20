namespace Traceability.Storage.Mongo;

public sealed class MongoEventStore(MongoDatabaseContext db) : IEventStore, IMongoIndexedStore
{
    public Task EnsureIndexesAsync(CancellationToken ct) => db.Events.Indexes.CreateManyAsync(Indexes.Events, ct);

    private const int MaxPerPage = 10_000;

    /// <summary>
    /// Each event document carries its own outbox row, so storing an event and announcing it is
    /// one single-document write. A capture of one event (POST /epcis/events) is exactly that,
    /// followed by the job record: no transaction. If the job write fails after the event was
    /// stored, the caller sees the error and a retry counts the event as a duplicate.
    /// A capture of several events must be all-or-nothing (EPCIS rollback): that is the one place a
    /// multi-document transaction is truly needed. Inside it, the eventIDs already stored are read
    /// first and skipped (a duplicate-key error would abort the transaction), the rest inserted,
    /// and the job written. A concurrent capture of the same eventID makes one of the two
    /// transactions fail (write conflict, retried by WithTransactionAsync, or a duplicate key after
    /// the other committed, retried here): the retry then counts it as a duplicate.
    /// </summary>
    public Task<CaptureResult> CaptureAsync(CaptureJob job, IReadOnlyList<StoredEvent> events,
        IReadOnlyList<OutboxMessage> announce, CancellationToken ct = default) =>
        CaptureAsync(job, events, [], announce, ct);

    /// <summary>
    /// As above; error declarations are written inside the transaction after the events, each as a
    /// conditional update of its event document (set only where the event has none) that also
    /// announces the event again (its outbox row back to Pending: a lease held on it is lost, so the
    /// pusher reads the declared state).
    /// </summary>
    public async Task<CaptureResult> CaptureAsync(CaptureJob job, IReadOnlyList<StoredEvent> events, IReadOnlyList<StoredDeclaration> declarations,
        IReadOnlyList<OutboxMessage> announce, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(declarations);
        ArgumentNullException.ThrowIfNull(announce);
        using var activity = MongoStoreTelemetry.StartOperation("capture");
        activity?.SetTag("traceability.capture.id", job.CaptureId);
        activity?.SetTag("traceability.capture.events", events.Count);
        var now = db.Time.GetUtcNow();
        var docs = ToEventDocs(events, announce, now, out var inBatchDuplicates);
        var others = announce.Where(m => m.Kind is OutboxKind.Product or OutboxKind.Lot).ToList();

        var total = events.Count + declarations.Count;
        if (docs.Count <= 1 && others.Count == 0 && declarations.Count == 0)
        {
            var duplicates = inBatchDuplicates;
            if (docs.Count == 1)
            {
                try
                {
                    await db.Events.InsertOneAsync(docs[0], cancellationToken: ct);
                }
                catch (Exception ex) when (IsDuplicateKey(ex))
                {
                    duplicates++;
                }
            }
            await SaveJobAsync(null, job, events.Count, duplicates, now, ct);
            return Result(events.Count, duplicates, activity);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var duplicates = await db.InTransactionAsync(async (s, c) =>
                {
                    var ids = docs.Select(d => d.Id).ToList();
                    var existing = await db.Events.Find(s, EventQueries.ByIds(ids))
                        .Project(Builders<EventDoc>.Projection.Include(x => x.Id)).ToListAsync(c);
                    var stored = existing.Select(d => d["_id"].AsString).ToHashSet(StringComparer.Ordinal);
                    var fresh = docs.Where(d => !stored.Contains(d.Id)).ToList();
                    if (fresh.Count > 0) await db.Events.InsertManyAsync(s, fresh, cancellationToken: c);
                    foreach (var m in others)
                    {
                        await db.OutboxHost(m.Kind)!.AnnounceIfAbsentAsync(s, m.Key, OutboxDoc.Pending(m, now), c);
                    }
                    var dup = inBatchDuplicates + stored.Count;
                    foreach (var d in declarations)
                    {
                        var update = Builders<EventDoc>.Update.Set(x => x.Declaration, DeclarationDoc.From(d));
                        if (d.Announce is { } m) update = update.Set(x => x.Outbox, OutboxDoc.Pending(m, now));
                        var written = await db.Events.UpdateOneAsync(s,
                            EventQueries.ById(d.EventId) & Builders<EventDoc>.Filter.Eq(x => x.Declaration, null), update, cancellationToken: c);
                        if (written.ModifiedCount == 0) dup++;
                    }
                    await SaveJobAsync(s, job, total, dup, now, c);
                    return dup;
                }, ct);
                return Result(total, duplicates, activity);
            }
            catch (Exception ex) when (IsDuplicateKey(ex) && attempt < 3)
            {
                // Another writer committed one of these eventIDs after our snapshot: read again.
            }
        }
    }

    private static CaptureResult Result(int total, int duplicates, System.Diagnostics.Activity? activity)
    {
        activity?.SetTag("traceability.capture.duplicates", duplicates);
        return new CaptureResult(total - duplicates, duplicates);
    }

    /// <summary>The job as finished: with events, the store's counts; a job recorded without events keeps its own.</summary>
    private Task SaveJobAsync(IClientSessionHandle? session, CaptureJob job, int eventCount, int duplicates,
        DateTimeOffset now, CancellationToken ct)
    {
        var finished = job with { FinishedAt = job.FinishedAt ?? (job.Running ? null : now) };
        if (eventCount > 0) finished = finished with { EventCount = eventCount, DuplicateCount = duplicates };
        var doc = CaptureJobDoc.From(finished);
        var filter = Builders<CaptureJobDoc>.Filter.Eq(x => x.Id, job.CaptureId);
        var options = new ReplaceOptions { IsUpsert = true };
        return session is null
            ? db.CaptureJobs.ReplaceOneAsync(filter, doc, options, ct)
            : db.CaptureJobs.ReplaceOneAsync(session, filter, doc, options, ct);
    }

    /// <summary>
    /// Documents to write, each carrying its announcement. A repeated eventID in the batch counts
    /// as a duplicate; a message for an event not in the batch is ignored (as a duplicate's is:
    /// it was announced when first stored).
    /// </summary>
    private static List<EventDoc> ToEventDocs(IReadOnlyList<StoredEvent> events, IReadOnlyList<OutboxMessage> announce,
        DateTimeOffset now, out int duplicates)
    {
        var messages = new Dictionary<string, OutboxMessage>(StringComparer.Ordinal);
        foreach (var m in announce.Where(m => m.Kind == OutboxKind.Event))
        {
            messages.TryAdd(m.Key, m);
        }
        var docs = new List<EventDoc>(events.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        duplicates = 0;
        foreach (var e in events)
        {
            if (!seen.Add(e.EventId))
            {
                duplicates++;
                continue;
            }
            var outbox = messages.TryGetValue(e.EventId, out var m) ? OutboxDoc.Pending(m, now) : null;
            docs.Add(EventDoc.From(e, outbox));
        }
        return docs;
    }

    public async Task<CaptureJob?> GetCaptureJobAsync(string captureId, CancellationToken ct = default) =>
        (await db.CaptureJobs.Find(x => x.Id == captureId).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<StoredEvent?> GetEventAsync(string eventId, CancellationToken ct = default) =>
        (await db.Events.Find(EventQueries.ById(eventId)).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<IReadOnlyList<StoredEvent>> GetEventsAsync(IReadOnlyCollection<string> eventIds, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        if (eventIds.Count == 0)
            return [];
        var docs = await db.Events.Find(EventQueries.ByIds(eventIds)).ToListAsync(ct);
        return [.. docs.Select(d => d.ToRecord())];
    }

    /// <summary>
    /// The indexed filters run in MongoDB; <see cref="EventQuery.Filter"/> runs on the parsed events as they are
    /// read (<see cref="EventPages"/>), the same code the SQLite store runs, so the two answer alike.
    /// </summary>
    /// <exception cref="ArgumentException">the page token is not one this store issued.</exception>
    public async Task<EventPage> QueryEventsAsync(EventQuery query, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("query-events");
        var order = EventOrderTags.Of(query);
        if (query.PageToken is { } token) PageTokens.Decode(token, order); // a bad token fails before any read
        var perPage = Math.Clamp(query.PerPage, 1, MaxPerPage);
        var sort = EventQueries.Order(query);
        return await EventPages.ReadAsync(query, perPage, async (after, limit, c) =>
        {
            var position = after is null ? (PageTokens.Position?)null : PageTokens.Decode(after, order);
            var docs = await db.Events.Find(EventQueries.Matching(query, position)).Sort(sort).Limit(limit).ToListAsync(c);
            return [.. docs.Select(d => (d.ToRecord(), PageTokens.Encode(order, new(query.OrderBy == EventOrder.EventTime
                ? d.EventTime.Ticks
                : new DateTimeOffset(d.RecordTime.Date, TimeSpan.Zero).ToUnixTimeMilliseconds(), d.Id))))];
        }, ct);
    }

    public async Task<IReadOnlyList<string>> ListEventValuesAsync(string? producerId, EventValueKind kind, int limit, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("list-event-values");
        var producer = producerId is null ? new BsonDocument() : new BsonDocument("producerId", producerId);
        var pipeline = new List<BsonDocument> { new("$match", producer) };
        string field;
        if (kind == EventValueKind.Epc)
        {
            var roles = new BsonArray(EventOrderTags.WhatRoles.Select(r => r.ToString()));
            pipeline.Add(new BsonDocument("$unwind", "$keys"));
            pipeline.Add(new BsonDocument("$match", new BsonDocument("keys.role", new BsonDocument("$in", roles))));
            field = "$keys.value";
        }
        else
        {
            field = "$" + kind switch
            {
                EventValueKind.BizStep => "bizStep",
                EventValueKind.Disposition => "disposition",
                EventValueKind.BizLocation => "bizLocation",
                EventValueKind.ReadPoint => "readPoint",
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
            pipeline.Add(new BsonDocument("$match", new BsonDocument(field[1..], new BsonDocument("$type", "string"))));
        }
        pipeline.Add(new BsonDocument("$group", new BsonDocument("_id", field)));
        pipeline.Add(new BsonDocument("$sort", new BsonDocument("_id", 1)));
        pipeline.Add(new BsonDocument("$limit", limit));
        var docs = await db.Events.Aggregate<BsonDocument>(pipeline, cancellationToken: ct).ToListAsync(ct);
        return [.. docs.Select(d => d["_id"].AsString)];
    }

    public async Task<IReadOnlyList<StoredEvent>> GetEventsForLotAsync(string lotKey, CancellationToken ct = default) =>
        [.. (await db.PublicEvents.Find(EventQueries.ForLot(lotKey)).Sort(EventQueries.ByEventTime).ToListAsync(ct)).Select(d => d.ToRecord())];

    /// <summary>
    /// From the collection's metadata (the count command without a filter): constant time, which
    /// matters because the health check calls it. Exact on a replica set after clean shutdowns; on a
    /// sharded cluster it may include orphaned documents during chunk migrations.
    /// </summary>
    public Task<long> CountEventsAsync(CancellationToken ct = default) =>
        db.Events.EstimatedDocumentCountAsync(cancellationToken: ct);
}
