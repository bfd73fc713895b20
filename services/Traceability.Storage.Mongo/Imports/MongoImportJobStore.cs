namespace Traceability.Storage.Mongo;

/// <summary>
/// Console spreadsheet imports: one document per job ("importJobs") and one per validated chunk
/// ("importChunks", id <c>{jobId}:{index}</c>, each well under MongoDB's 16 MB document limit since the
/// console stores a chunk compressed). Plain BSON like the other shared collections; the job's
/// version field is the optimistic-concurrency stamp, matched in the update's filter.
/// </summary>
public sealed class MongoImportJobStore(MongoDatabaseContext db) : IImportJobStore, IMongoIndexedStore
{
    public Task AddImportJobAsync(ImportJobRecord job, CancellationToken ct = default) =>
        db.Documents(Collections.ImportJobs).InsertOneAsync(ImportJobDoc(job), cancellationToken: ct);

    public async Task<ImportJobRecord?> GetImportJobAsync(string id, CancellationToken ct = default)
    {
        var d = await db.Documents(Collections.ImportJobs).Find(Builders<BsonDocument>.Filter.Eq("_id", id)).FirstOrDefaultAsync(ct);
        return d is null ? null : new ImportJobRecord(d["_id"].AsString, d["producerId"].AsString, d["fileName"].AsString, d["lang"].AsString,
            new DateTimeOffset(d["createdAt"].ToUniversalTime()))
        {
            Phase = d["phase"].AsString, Version = d["version"].ToInt64(), Total = d["total"].ToInt32(), Validated = d["validated"].ToInt32(),
            Events = d["events"].ToInt32(), Committed = d["committed"].ToInt32(), Stored = d["stored"].ToInt32(),
            Duplicates = d["duplicates"].ToInt32(), ErrorRows = d["errorRows"].ToInt32(), Chunks = d["chunks"].ToInt32(),
            Message = d["message"].IsBsonNull ? null : d["message"].AsString, Details = d["details"].IsBsonNull ? null : d["details"].AsString,
            UpdatedAt = new DateTimeOffset(d["updatedAt"].ToUniversalTime()),
        };
    }

    public async Task<bool> UpdateImportJobAsync(ImportJobRecord job, long expectedVersion, CancellationToken ct = default)
    {
        var filter = Builders<BsonDocument>.Filter.Eq("_id", job.Id) & Builders<BsonDocument>.Filter.Eq("version", expectedVersion);
        var result = await db.Documents(Collections.ImportJobs).ReplaceOneAsync(filter, ImportJobDoc(job), cancellationToken: ct);
        return result.MatchedCount == 1;
    }

    public Task PutImportChunkAsync(ImportChunkRecord chunk, CancellationToken ct = default) =>
        db.Documents(Collections.ImportChunks).ReplaceOneAsync(Builders<BsonDocument>.Filter.Eq("_id", ChunkId(chunk.JobId, chunk.Index)), new BsonDocument
        {
            { "_id", ChunkId(chunk.JobId, chunk.Index) }, { "jobId", chunk.JobId }, { "index", chunk.Index },
            { "document", new BsonBinaryData(chunk.Document) }, { "events", chunk.EventCount }, { "firstRow", chunk.FirstRow },
            { "lastRow", chunk.LastRow },
        }, new ReplaceOptions { IsUpsert = true }, ct);

    public async Task<ImportChunkRecord?> GetImportChunkAsync(string jobId, int index, CancellationToken ct = default)
    {
        var d = await db.Documents(Collections.ImportChunks).Find(Builders<BsonDocument>.Filter.Eq("_id", ChunkId(jobId, index))).FirstOrDefaultAsync(ct);
        return d is null ? null : new ImportChunkRecord(jobId, index, d["document"].AsByteArray, d["events"].ToInt32(), d["firstRow"].ToInt32(),
            d["lastRow"].ToInt32());
    }

    public Task DeleteImportChunksAsync(string jobId, CancellationToken ct = default) =>
        db.Documents(Collections.ImportChunks).DeleteManyAsync(Builders<BsonDocument>.Filter.Eq("jobId", jobId), ct);

    public async Task<int> DeleteImportJobsBeforeAsync(DateTimeOffset before, CancellationToken ct = default)
    {
        var old = await db.Documents(Collections.ImportJobs).Find(Builders<BsonDocument>.Filter.Lt("createdAt", before.UtcDateTime))
            .Project(Builders<BsonDocument>.Projection.Include("_id")).ToListAsync(ct);
        if (old.Count == 0) return 0;
        var ids = old.Select(d => d["_id"]).ToList();
        // Chunks first, so that stopping halfway never leaves a chunk without its job.
        await db.Documents(Collections.ImportChunks).DeleteManyAsync(Builders<BsonDocument>.Filter.In("jobId", ids), ct);
        var deleted = await db.Documents(Collections.ImportJobs).DeleteManyAsync(Builders<BsonDocument>.Filter.In("_id", ids), ct);
        return (int)deleted.DeletedCount;
    }

    private static string ChunkId(string jobId, int index) => $"{jobId}:{index}";

    private static BsonDocument ImportJobDoc(ImportJobRecord job) => new()
    {
        { "_id", job.Id }, { "producerId", job.ProducerId }, { "fileName", job.FileName }, { "lang", job.Lang }, { "phase", job.Phase },
        { "version", job.Version }, { "total", job.Total }, { "validated", job.Validated }, { "events", job.Events },
        { "committed", job.Committed }, { "stored", job.Stored }, { "duplicates", job.Duplicates }, { "errorRows", job.ErrorRows },
        { "chunks", job.Chunks }, { "message", (BsonValue?)job.Message ?? BsonNull.Value }, { "details", (BsonValue?)job.Details ?? BsonNull.Value },
        { "createdAt", job.CreatedAt.UtcDateTime }, { "updatedAt", job.UpdatedAt.UtcDateTime },
    };

    public Task EnsureIndexesAsync(CancellationToken ct) => Task.WhenAll(
        db.Documents(Collections.ImportJobs).Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending("createdAt"), new CreateIndexOptions { Name = "createdAt" }), cancellationToken: ct),
        db.Documents(Collections.ImportChunks).Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(
            Builders<BsonDocument>.IndexKeys.Ascending("jobId"), new CreateIndexOptions { Name = "jobId" }), cancellationToken: ct));
}
