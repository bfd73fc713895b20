namespace Traceability.Storage;

/// <summary>
/// A console spreadsheet import as stored (issue 17, stateless hosts): any host shows its progress
/// and result, and any host can commit it. <see cref="Phase"/> is the console's phase name (the
/// store does not interpret it). <see cref="Details"/> is the console's JSON of what its pages show
/// (preview rows, the first rows with errors and their cells); <see cref="Chunks"/> counts the
/// validated EPCIS documents stored beside the job.
/// <see cref="Version"/> is the optimistic-concurrency stamp: every update names the version it
/// read and the store refuses it when another writer came first.
/// </summary>
public sealed record ImportJobRecord(string Id, string ProducerId, string FileName, string Lang, DateTimeOffset CreatedAt)
{
    public required string Phase { get; init; }
    public long Version { get; init; }
    public int Total { get; init; }
    public int Validated { get; init; }
    public int Events { get; init; }
    public int Committed { get; init; }
    public int Stored { get; init; }
    public int Duplicates { get; init; }
    public int ErrorRows { get; init; }
    public int Chunks { get; init; }
    public string? Message { get; init; }
    public string? Details { get; init; }
    /// <summary>The last time the host working on the job wrote it: its heartbeat.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>One validated EPCIS document of an import (opaque bytes to the store) and the spreadsheet rows it came from.</summary>
public sealed record ImportChunkRecord(string JobId, int Index, byte[] Document, int EventCount, int FirstRow, int LastRow);

public interface IImportJobStore
{
    Task AddImportJobAsync(ImportJobRecord job, CancellationToken ct = default);

    Task<ImportJobRecord?> GetImportJobAsync(string id, CancellationToken ct = default);

    /// <summary>
    /// Replaces the job with <paramref name="job"/> (whose <see cref="ImportJobRecord.Version"/> is the
    /// new one) only while the stored version is still <paramref name="expectedVersion"/>; false otherwise.
    /// </summary>
    Task<bool> UpdateImportJobAsync(ImportJobRecord job, long expectedVersion, CancellationToken ct = default);

    /// <summary>Adds or replaces one chunk of a job.</summary>
    Task PutImportChunkAsync(ImportChunkRecord chunk, CancellationToken ct = default);

    Task<ImportChunkRecord?> GetImportChunkAsync(string jobId, int index, CancellationToken ct = default);

    /// <summary>Deletes every chunk of the job (an invalid file keeps none).</summary>
    Task DeleteImportChunksAsync(string jobId, CancellationToken ct = default);

    /// <summary>Deletes the jobs created before <paramref name="before"/> with their chunks; returns how many jobs went.</summary>
    Task<int> DeleteImportJobsBeforeAsync(DateTimeOffset before, CancellationToken ct = default);
}
