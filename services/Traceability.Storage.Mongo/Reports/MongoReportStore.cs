namespace Traceability.Storage.Mongo;

public sealed class MongoReportStore(MongoDatabaseContext db) : IReportStore, IInspectionStore, IMongoIndexedStore
{
    public async Task EnsureIndexesAsync(CancellationToken ct)
    {
        await db.Reports.Indexes.CreateManyAsync(Indexes.Reports, ct);
        await db.Inspections.Indexes.CreateManyAsync(Indexes.Inspections, ct);
        await ReportNotes.Indexes.CreateManyAsync(Indexes.ReportNotes, ct);
        await RenameClosedReportsAsync(ct);
    }

    private IMongoCollection<InspectionPhotoDoc> InspectionPhotos => db.Collection<InspectionPhotoDoc>(Collections.InspectionPhotos);

    public async Task AddReportAsync(ConsumerReport report, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("add-report");
        await db.Reports.InsertOneAsync(ReportDoc.From(report), cancellationToken: ct);
    }

    public async Task<ConsumerReport?> GetReportAsync(string id, CancellationToken ct = default) =>
        (await db.Reports.Find(x => x.Id == id).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<IReadOnlyList<ConsumerReport>> ListReportsAsync(ReportStatus? status, int max, CancellationToken ct = default)
    {
        var filter = status is { } s ? Builders<ReportDoc>.Filter.Eq(x => x.Status, s) : FilterDefinition<ReportDoc>.Empty;
        var docs = await db.Reports.Find(filter).SortByDescending(x => x.CreatedAt.Ticks).ThenBy(x => x.Id).Limit(max).ToListAsync(ct);
        return [.. docs.Select(d => d.ToRecord())];
    }

    public async Task<bool> SetReportStatusAsync(string id, ReportStatus status, DateTimeOffset at, CancellationToken ct = default)
    {
        var result = await db.Reports.UpdateOneAsync(x => x.Id == id,
            Builders<ReportDoc>.Update.Set(x => x.Status, status).Set(x => x.UpdatedAt, TimeDoc.From(at)), cancellationToken: ct);
        return result.MatchedCount > 0;
    }

    private IMongoCollection<ReportNoteDoc> ReportNotes => db.Collection<ReportNoteDoc>(Collections.ReportNotes);

    // The same change as SQLite's migration 0013: "closed" became "resolved" when triage got its
    // resolved/rejected outcomes. Idempotent, and cheap on the status index once done.
    private Task RenameClosedReportsAsync(CancellationToken ct) =>
        db.Collection<BsonDocument>(Collections.Reports).UpdateManyAsync(
            Builders<BsonDocument>.Filter.Eq("status", "Closed"), Builders<BsonDocument>.Update.Set("status", nameof(ReportStatus.Resolved)),
            cancellationToken: ct);

    // The report, its note and the audit entry are documents in three collections: one transaction,
    // so no triage change stands without its record.
    public async Task<bool> SaveTriageAsync(ConsumerReport report, ReportNote? note, AuditEntry entry, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("save-triage");
        return await db.InTransactionAsync(async (s, c) =>
        {
            var result = await db.Reports.UpdateOneAsync(s, x => x.Id == report.Id, Builders<ReportDoc>.Update
                .Set(x => x.Status, report.Status).Set(x => x.Assignee, report.Assignee).Set(x => x.Outcome, report.Outcome)
                .Set(x => x.UpdatedAt, TimeDoc.From(report.UpdatedAt)), cancellationToken: c);
            if (result.MatchedCount == 0) return false;
            if (note is not null) await ReportNotes.InsertOneAsync(s, ReportNoteDoc.From(note), cancellationToken: c);
            await db.Audit.InsertOneAsync(s, AuditDoc.From(entry), cancellationToken: c);
            return true;
        }, ct);
    }

    public async Task<IReadOnlyList<ReportNote>> ListReportNotesAsync(string reportId, CancellationToken ct = default)
    {
        var docs = await ReportNotes.Find(x => x.ReportId == reportId).SortBy(x => x.At.Ticks).ThenBy(x => x.Id).ToListAsync(ct);
        return [.. docs.Select(d => d.ToRecord())];
    }

    public async Task AddInspectionAsync(Inspection inspection, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("add-inspection");
        try
        {
            await db.Inspections.InsertOneAsync(InspectionDoc.From(inspection), cancellationToken: ct);
        }
        catch (Exception ex) when (IsDuplicateKey(ex))
        {
            throw new DuplicateKeyException($"Inspector '{inspection.InspectorId}' already sent the record '{inspection.ClientRef}'.");
        }
    }

    public async Task<Inspection?> GetInspectionAsync(string id, CancellationToken ct = default) =>
        (await db.Inspections.Find(x => x.Id == id).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<Inspection?> FindInspectionByClientRefAsync(string inspectorId, string clientRef, CancellationToken ct = default) =>
        (await db.Inspections.Find(x => x.InspectorId == inspectorId && x.ClientRef == clientRef).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<IReadOnlyList<Inspection>> ListInspectionsAsync(string? lotKey, int max, CancellationToken ct = default)
    {
        var filter = lotKey is null ? FilterDefinition<InspectionDoc>.Empty : Builders<InspectionDoc>.Filter.Eq(x => x.LotKey, lotKey);
        var docs = await db.Inspections.Find(filter).SortByDescending(x => x.CreatedAt.Ticks).ThenBy(x => x.Id).Limit(max).ToListAsync(ct);
        return [.. docs.Select(d => d.ToRecord())];
    }

    public async Task<IReadOnlyList<Inspection>> QueryInspectionsAsync(InspectionQuery q, CancellationToken ct = default)
    {
        var f = Builders<InspectionDoc>.Filter;
        var filter = f.Empty;
        if (q.LotKey is not null) filter &= f.Eq(x => x.LotKey, q.LotKey);
        if (q.InspectorId is not null) filter &= f.Eq(x => x.InspectorId, q.InspectorId);
        if (q.Result is not null) filter &= f.Eq(x => x.Result, q.Result);
        if (q.From is { } from) filter &= f.Gte(x => x.InspectedAt.Ticks, from.UtcTicks);
        if (q.To is { } to) filter &= f.Lt(x => x.InspectedAt.Ticks, to.UtcTicks);
        if (q.PublishedOnly) filter &= f.Exists(x => x.PublishedAt);
        var docs = await db.Inspections.Find(filter).SortByDescending(x => x.InspectedAt.Ticks).ThenBy(x => x.Id).Limit(q.Max).ToListAsync(ct);
        return [.. docs.Select(d => d.ToRecord())];
    }

    public async Task<bool> SetInspectionPublishedAsync(string id, DateTimeOffset? publishedAt, AuditEntry entry, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("set-inspection-published");
        return await db.InTransactionAsync(async (s, c) =>
        {
            var update = publishedAt is { } at
                ? Builders<InspectionDoc>.Update.Set(x => x.PublishedAt, TimeDoc.From(at))
                : Builders<InspectionDoc>.Update.Unset(x => x.PublishedAt);
            var result = await db.Inspections.UpdateOneAsync(s, x => x.Id == id, update, cancellationToken: c);
            if (result.MatchedCount == 0) return false;
            await db.Audit.InsertOneAsync(s, AuditDoc.From(entry), cancellationToken: c);
            return true;
        }, ct);
    }

    public async Task<bool> SetInspectionPhotoAsync(string id, InspectionPhoto photo, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("set-inspection-photo");
        // Photo first: a photo without its type set is invisible (listings read photoContentType),
        // while a type without a photo would promise evidence that is not there.
        if (await db.Inspections.CountDocumentsAsync(x => x.Id == id, cancellationToken: ct) == 0) return false;
        await InspectionPhotos.ReplaceOneAsync(x => x.Id == id,
            new InspectionPhotoDoc { Id = id, ContentType = photo.ContentType, Data = photo.Data },
            new ReplaceOptions { IsUpsert = true }, ct);
        var result = await db.Inspections.UpdateOneAsync(x => x.Id == id,
            Builders<InspectionDoc>.Update.Set(x => x.PhotoContentType, photo.ContentType), cancellationToken: ct);
        return result.MatchedCount > 0;
    }

    public async Task<InspectionPhoto?> GetInspectionPhotoAsync(string id, CancellationToken ct = default) =>
        await InspectionPhotos.Find(x => x.Id == id).FirstOrDefaultAsync(ct) is { } doc ? new InspectionPhoto(doc.ContentType, doc.Data) : null;
}
