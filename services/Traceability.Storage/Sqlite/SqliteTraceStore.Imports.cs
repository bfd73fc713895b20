using Dapper;

namespace Traceability.Storage.Sqlite;

/// <summary>Console spreadsheet imports (migration 0025): jobs and their validated chunks.</summary>
public sealed partial class SqliteTraceStore : IImportJobStore
{
    public Task AddImportJobAsync(ImportJobRecord job, CancellationToken ct = default) =>
        WriteAsync(connection => connection.Execute(
            """
            INSERT INTO import_jobs (id, producer_id, file_name, lang, phase, version, total, validated, events, committed, stored, duplicates,
                error_rows, chunks, message, details, created_at, updated_at) VALUES (@Id, @ProducerId, @FileName, @Lang, @Phase, @Version, @Total, @Validated,
                @Events, @Committed, @Stored, @Duplicates, @ErrorRows, @Chunks, @Message, @Details, @CreatedAt, @UpdatedAt)
            """, ImportJobParameters(job)), ct);

    public async Task<ImportJobRecord?> GetImportJobAsync(string id, CancellationToken ct = default)
    {
        using var connection = OpenReader();
        var row = await connection.QuerySingleOrDefaultAsync<ImportJobRow>(new CommandDefinition(
            """
            SELECT id AS Id, producer_id AS ProducerId, file_name AS FileName, lang AS Lang, phase AS Phase, version AS Version, total AS Total,
                validated AS Validated, events AS Events, committed AS Committed, stored AS Stored, duplicates AS Duplicates,
                error_rows AS ErrorRows, chunks AS Chunks, message AS Message, details AS Details, created_at AS CreatedAt, updated_at AS UpdatedAt
            FROM import_jobs WHERE id = @id
            """, new { id }, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToRecord();
    }

    public Task<bool> UpdateImportJobAsync(ImportJobRecord job, long expectedVersion, CancellationToken ct = default)
    {
        var parameters = new DynamicParameters(ImportJobParameters(job));
        parameters.Add("ExpectedVersion", expectedVersion);
        return WriteAsync(connection => connection.Execute(
            """
            UPDATE import_jobs SET phase = @Phase, version = @Version, total = @Total, validated = @Validated, events = @Events,
                committed = @Committed, stored = @Stored, duplicates = @Duplicates, error_rows = @ErrorRows, chunks = @Chunks,
                message = @Message, details = @Details, updated_at = @UpdatedAt
            WHERE id = @Id AND version = @ExpectedVersion
            """, parameters) == 1, ct);
    }

    public Task PutImportChunkAsync(ImportChunkRecord chunk, CancellationToken ct = default) =>
        WriteAsync(connection => connection.Execute(
            """
            INSERT OR REPLACE INTO import_chunks (job_id, idx, document, events, first_row, last_row)
            VALUES (@JobId, @Index, @Document, @EventCount, @FirstRow, @LastRow)
            """, chunk), ct);

    public async Task<ImportChunkRecord?> GetImportChunkAsync(string jobId, int index, CancellationToken ct = default)
    {
        using var connection = OpenReader();
        var rows = await connection.QueryAsync<(byte[] Document, long Events, long FirstRow, long LastRow)>(new CommandDefinition(
            "SELECT document, events, first_row, last_row FROM import_chunks WHERE job_id = @jobId AND idx = @index",
            new { jobId, index }, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => new ImportChunkRecord(jobId, index, r.Document, (int)r.Events, (int)r.FirstRow, (int)r.LastRow)).FirstOrDefault();
    }

    public Task DeleteImportChunksAsync(string jobId, CancellationToken ct = default) =>
        WriteAsync(connection => connection.Execute("DELETE FROM import_chunks WHERE job_id = @jobId", new { jobId }), ct);

    // The chunks go with their job (ON DELETE CASCADE).
    public Task<int> DeleteImportJobsBeforeAsync(DateTimeOffset before, CancellationToken ct = default) =>
        WriteAsync(connection => connection.Execute("DELETE FROM import_jobs WHERE created_at < @before", new { before = Ms(before) }), ct);

    private static object ImportJobParameters(ImportJobRecord job) => new
    {
        job.Id, job.ProducerId, job.FileName, job.Lang, job.Phase, job.Version, job.Total, job.Validated, job.Events, job.Committed,
        job.Stored, job.Duplicates, job.ErrorRows, job.Chunks, job.Message, job.Details, CreatedAt = Ms(job.CreatedAt), UpdatedAt = Ms(job.UpdatedAt),
    };

    private sealed class ImportJobRow
    {
        public string Id { get; set; } = "";
        public string ProducerId { get; set; } = "";
        public string FileName { get; set; } = "";
        public string Lang { get; set; } = "";
        public string Phase { get; set; } = "";
        public long Version { get; set; }
        public long Total { get; set; }
        public long Validated { get; set; }
        public long Events { get; set; }
        public long Committed { get; set; }
        public long Stored { get; set; }
        public long Duplicates { get; set; }
        public long ErrorRows { get; set; }
        public long Chunks { get; set; }
        public string? Message { get; set; }
        public string? Details { get; set; }
        public long CreatedAt { get; set; }
        public long UpdatedAt { get; set; }

        public ImportJobRecord ToRecord() => new(Id, ProducerId, FileName, Lang, FromMs(CreatedAt))
        {
            Phase = Phase, Version = Version, Total = (int)Total, Validated = (int)Validated, Events = (int)Events, Committed = (int)Committed,
            Stored = (int)Stored, Duplicates = (int)Duplicates, ErrorRows = (int)ErrorRows, Chunks = (int)Chunks, Message = Message,
            Details = Details, UpdatedAt = FromMs(UpdatedAt),
        };
    }
}
