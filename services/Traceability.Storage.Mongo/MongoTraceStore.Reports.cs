using Traceability.Storage.Mongo.Telemetry;

namespace Traceability.Storage.Mongo;

public sealed partial class MongoTraceStore
{
    private readonly IMongoCollection<ReportDoc> reports;
    private readonly IMongoCollection<InspectionDoc> inspections;
    private readonly IMongoCollection<InspectionPhotoDoc> inspectionPhotos;

    public async Task AddReportAsync(ConsumerReport report, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("add-report");
        await reports.InsertOneAsync(ReportDoc.From(report), cancellationToken: ct);
    }

    public async Task<ConsumerReport?> GetReportAsync(string id, CancellationToken ct = default) =>
        (await reports.Find(x => x.Id == id).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<IReadOnlyList<ConsumerReport>> ListReportsAsync(ReportStatus? status, int max, CancellationToken ct = default)
    {
        var filter = status is { } s ? Builders<ReportDoc>.Filter.Eq(x => x.Status, s) : FilterDefinition<ReportDoc>.Empty;
        var docs = await reports.Find(filter).SortByDescending(x => x.CreatedAt.Ticks).ThenBy(x => x.Id).Limit(max).ToListAsync(ct);
        return [.. docs.Select(d => d.ToRecord())];
    }

    public async Task<bool> SetReportStatusAsync(string id, ReportStatus status, DateTimeOffset at, CancellationToken ct = default)
    {
        var result = await reports.UpdateOneAsync(x => x.Id == id,
            Builders<ReportDoc>.Update.Set(x => x.Status, status).Set(x => x.UpdatedAt, TimeDoc.From(at)), cancellationToken: ct);
        return result.MatchedCount > 0;
    }

    public async Task AddInspectionAsync(Inspection inspection, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("add-inspection");
        try
        {
            await inspections.InsertOneAsync(InspectionDoc.From(inspection), cancellationToken: ct);
        }
        catch (Exception ex) when (IsDuplicateKey(ex))
        {
            throw new DuplicateKeyException($"Inspector '{inspection.InspectorId}' already sent the record '{inspection.ClientRef}'.");
        }
    }

    public async Task<Inspection?> GetInspectionAsync(string id, CancellationToken ct = default) =>
        (await inspections.Find(x => x.Id == id).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<Inspection?> FindInspectionByClientRefAsync(string inspectorId, string clientRef, CancellationToken ct = default) =>
        (await inspections.Find(x => x.InspectorId == inspectorId && x.ClientRef == clientRef).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<IReadOnlyList<Inspection>> ListInspectionsAsync(string? lotKey, int max, CancellationToken ct = default)
    {
        var filter = lotKey is null ? FilterDefinition<InspectionDoc>.Empty : Builders<InspectionDoc>.Filter.Eq(x => x.LotKey, lotKey);
        var docs = await inspections.Find(filter).SortByDescending(x => x.CreatedAt.Ticks).ThenBy(x => x.Id).Limit(max).ToListAsync(ct);
        return [.. docs.Select(d => d.ToRecord())];
    }

    public async Task<bool> SetInspectionPhotoAsync(string id, InspectionPhoto photo, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("set-inspection-photo");
        // Photo first: a photo without its type set is invisible (listings read photoContentType),
        // while a type without a photo would promise evidence that is not there.
        if (await inspections.CountDocumentsAsync(x => x.Id == id, cancellationToken: ct) == 0) return false;
        await inspectionPhotos.ReplaceOneAsync(x => x.Id == id,
            new InspectionPhotoDoc { Id = id, ContentType = photo.ContentType, Data = photo.Data },
            new ReplaceOptions { IsUpsert = true }, ct);
        var result = await inspections.UpdateOneAsync(x => x.Id == id,
            Builders<InspectionDoc>.Update.Set(x => x.PhotoContentType, photo.ContentType), cancellationToken: ct);
        return result.MatchedCount > 0;
    }

    public async Task<InspectionPhoto?> GetInspectionPhotoAsync(string id, CancellationToken ct = default) =>
        await inspectionPhotos.Find(x => x.Id == id).FirstOrDefaultAsync(ct) is { } doc ? new InspectionPhoto(doc.ContentType, doc.Data) : null;
}
