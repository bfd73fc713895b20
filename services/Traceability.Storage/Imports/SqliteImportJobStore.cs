namespace Traceability.Storage.Sqlite;

/// <summary>Console spreadsheet imports (migration 0022): jobs and their validated chunks.</summary>
public sealed class SqliteImportJobStore(SqliteDatabase db) : IImportJobStore
{
    public Task AddImportJobAsync(ImportJobRecord job, CancellationToken ct = default) =>
        db.WriteAsync(connection => connection.Execute(
            """
            INSERT INTO import_jobs (id, producer_id, file_name, lang, phase, version, total, validated, events, committed, stored, duplicates,
                error_rows, chunks, message, details, created_at, updated_at) VALUES (@Id, @ProducerId, @FileName, @Lang, @Phase, @Version, @Total, @Validated,
                @Events, @Committed, @Stored, @Duplicates, @ErrorRows, @Chunks, @Message, @Details, @CreatedAt, @UpdatedAt)
            """, ImportJobParameters(job)), ct);

    public async Task<ImportJobRecord?> GetImportJobAsync(string id, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        using var r = await connection.ExecuteReaderAsync(new CommandDefinition(
            """
            SELECT id, producer_id, file_name, lang, phase, version, total, validated, events, committed, stored, duplicates, error_rows, chunks,
                message, details, created_at, updated_at
            FROM import_jobs WHERE id = @id
            """, new { id }, cancellationToken: ct)).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) return null;
        return new ImportJobRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), FromMs(r.GetInt64(16)))
        {
            Phase = r.GetString(4), Version = r.GetInt64(5), Total = r.GetInt32(6), Validated = r.GetInt32(7), Events = r.GetInt32(8),
            Committed = r.GetInt32(9), Stored = r.GetInt32(10), Duplicates = r.GetInt32(11), ErrorRows = r.GetInt32(12), Chunks = r.GetInt32(13),
            Message = r.IsDBNull(14) ? null : r.GetString(14), Details = r.IsDBNull(15) ? null : r.GetString(15), UpdatedAt = FromMs(r.GetInt64(17)),
        };
    }

    public Task<bool> UpdateImportJobAsync(ImportJobRecord job, long expectedVersion, CancellationToken ct = default)
    {
        var parameters = new DynamicParameters(ImportJobParameters(job));
        parameters.Add("ExpectedVersion", expectedVersion);
        return db.WriteAsync(connection => connection.Execute(
            """
            UPDATE import_jobs SET phase = @Phase, version = @Version, total = @Total, validated = @Validated, events = @Events,
                committed = @Committed, stored = @Stored, duplicates = @Duplicates, error_rows = @ErrorRows, chunks = @Chunks,
                message = @Message, details = @Details, updated_at = @UpdatedAt
            WHERE id = @Id AND version = @ExpectedVersion
            """, parameters) == 1, ct);
    }

    public Task PutImportChunkAsync(ImportChunkRecord chunk, CancellationToken ct = default) =>
        db.WriteAsync(connection => connection.Execute(
            """
            INSERT OR REPLACE INTO import_chunks (job_id, idx, document, events, first_row, last_row)
            VALUES (@JobId, @Index, @Document, @EventCount, @FirstRow, @LastRow)
            """, chunk), ct);

    public async Task<ImportChunkRecord?> GetImportChunkAsync(string jobId, int index, CancellationToken ct = default)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<(byte[] Document, long Events, long FirstRow, long LastRow)>(new CommandDefinition(
            "SELECT document, events, first_row, last_row FROM import_chunks WHERE job_id = @jobId AND idx = @index",
            new { jobId, index }, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => new ImportChunkRecord(jobId, index, r.Document, (int)r.Events, (int)r.FirstRow, (int)r.LastRow)).FirstOrDefault();
    }

    public Task DeleteImportChunksAsync(string jobId, CancellationToken ct = default) =>
        db.WriteAsync(connection => connection.Execute("DELETE FROM import_chunks WHERE job_id = @jobId", new { jobId }), ct);

    // The chunks go with their job (ON DELETE CASCADE).
    public Task<int> DeleteImportJobsBeforeAsync(DateTimeOffset before, CancellationToken ct = default) =>
        db.WriteAsync(connection => connection.Execute("DELETE FROM import_jobs WHERE created_at < @before", new { before = Ms(before) }), ct);

    private static object ImportJobParameters(ImportJobRecord job) => new
    {
        job.Id, job.ProducerId, job.FileName, job.Lang, job.Phase, job.Version, job.Total, job.Validated, job.Events, job.Committed,
        job.Stored, job.Duplicates, job.ErrorRows, job.Chunks, job.Message, job.Details, CreatedAt = Ms(job.CreatedAt), UpdatedAt = Ms(job.UpdatedAt),
    };
}
