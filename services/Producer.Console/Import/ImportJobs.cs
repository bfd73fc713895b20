using System.Security.Cryptography;

namespace Traceability.ProducerConsole.Import;

/// <summary>
/// Spreadsheet import: validate every row first (<see cref="ImportValidator"/>: the same EPCIS parser
/// and ownership rules the capture uses), and only when no row has an error, capture the events
/// through <see cref="CaptureService"/> in documents of at most <c>Capture:MaxEventsPerCapture</c> events.
///
/// Jobs live in the configured store (<see cref="IImportJobStore"/>), so any host over it shows a
/// job's progress and result and can commit it. The host working on a job writes it every
/// <see cref="SaveEvery"/> (its heartbeat) and after every chunk; a job in a running phase that no
/// host has written for <see cref="StaleAfter"/> was interrupted (a restart, a crash) and the next
/// reader marks it failed, saying how far it got. Every write names the version it read, so a host
/// that was presumed dead and wakes up cannot overwrite that verdict: it stops instead.
///
/// Never half-applied silently: a file with any bad row stores nothing. A valid file larger than one
/// capture is stored in several captures, each atomic, and the job's count is written after each;
/// when the commit stops between two captures the job says (at least) how many events were stored,
/// and uploading the same file again completes it: events carry no eventID, so each gets its CBV 2.0
/// hash and events already stored count as duplicates instead of being stored twice.
/// Jobs expire <see cref="KeepFor"/> after they started.
/// </summary>
public sealed partial class ImportJobs(
    IImportJobStore store, ImportValidator validator, CaptureService capture, TimeProvider time,
    IHostApplicationLifetime lifetime, ILogger<ImportJobs> logger)
{
    public const int ShownErrorRows = 500;
    internal static readonly TimeSpan KeepFor = TimeSpan.FromDays(1);
    internal static readonly TimeSpan SaveEvery = TimeSpan.FromSeconds(1);
    // Far above SaveEvery: a heartbeat can wait behind a 10,000-event capture in the write queue of a loaded host.
    internal static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(1);

    // One import works at a time per host: the host is shared with the live API.
    private readonly SemaphoreSlim worker = new(1, 1);

    /// <summary>The producer's job as stored (null when unknown, expired or another producer's); marks an interrupted one failed.</summary>
    public async Task<ImportJob?> GetAsync(string id, string producerId, CancellationToken ct)
    {
        while (true)
        {
            var record = await store.GetImportJobAsync(id, ct);
            if (record is null || record.ProducerId != producerId) return null;
            var job = ImportJob.FromRecord(record);
            if (!job.Running || time.GetUtcNow() - job.UpdatedAt <= StaleAfter) return job;
            job.Message = [Interrupted(job)];
            job.Phase = ImportPhase.Failed;
            // Lost the race: another reader marked it, or its host wrote after all. Read again.
            if (await TrySaveAsync(job, ct)) return job;
        }
    }

    /// <summary>
    /// Stores a new job and starts validating the rows of <paramref name="file"/> (which
    /// <see cref="ImportReader.Check"/> accepted with <paramref name="rows"/> data rows) on this host in the
    /// background. The rows are read from the file as they are validated, never all held at once.
    /// </summary>
    public async Task<ImportJob> StartAsync(string producerId, string fileName, string lang, byte[] file, int rows, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await store.DeleteImportJobsBeforeAsync(now - KeepFor, ct);
        var job = new ImportJob(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), producerId, fileName, lang, now) { Total = rows };
        var record = job.ToRecord(now);
        await store.AddImportJobAsync(record, ct);
        job.Version = record.Version;
        _ = Task.Run(() => RunAsync(job, c => validator.ValidateAsync(job, file, c)));
        return job;
    }

    /// <summary>Commits a validated job on this host; false when it is not ready (invalid, running, done, or claimed by another request).</summary>
    public async Task<bool> CommitAsync(ImportJob job, CancellationToken ct)
    {
        if (job.Phase != ImportPhase.Ready) return false;
        job.Phase = ImportPhase.Committing;
        if (!await TrySaveAsync(job, ct)) return false;
        _ = Task.Run(() => RunAsync(job, c => CommitChunksAsync(job, c)));
        return true;
    }

    /// <summary>Writes the job as the next version; false when another writer changed it since this object read or wrote it.</summary>
    private async Task<bool> TrySaveAsync(ImportJob job, CancellationToken ct)
    {
        await job.SaveGate.WaitAsync(ct);
        try
        {
            var record = job.ToRecord(time.GetUtcNow());
            if (!await store.UpdateImportJobAsync(record, job.Version, ct)) return false;
            (job.Version, job.UpdatedAt) = (record.Version, record.UpdatedAt);
            return true;
        }
        finally
        {
            job.SaveGate.Release();
        }
    }

    private async Task RunAsync(ImportJob job, Func<CancellationToken, Task> work)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        var heartbeat = HeartbeatAsync(job, stop);
        try
        {
            await worker.WaitAsync(stop.Token);
            try { await work(stop.Token); }
            finally { worker.Release(); }
        }
        catch (Exception e) when (e is not OutOfMemoryException && !job.Lost)
        {
            LogImportFailed(logger, e, job.Id);
            job.Message = [LocalText.Of(e.IsDiskFull() ? "Import_DiskFull" : "Import_Interrupted"), StoredSoFar(job)];
            job.Phase = ImportPhase.Failed;
        }
        catch (OperationCanceledException) when (job.Lost)
        {
            // Another host declared this job interrupted: its verdict stands.
        }
        await stop.CancelAsync();
        await heartbeat;
        if (job.Lost) return;
        try
        {
            // The last write is made even while the host stops, so a reader sees why the job ended.
            if (!await TrySaveAsync(job, CancellationToken.None)) return;
            if (job.Phase is ImportPhase.Done or ImportPhase.Failed) await store.DeleteImportChunksAsync(job.Id, CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogImportSaveFailed(logger, e, job.Id);
        }
    }

    /// <summary>Writes the job's progress every <see cref="SaveEvery"/> until the work ends; stops the work when another host took the job over.</summary>
    private async Task HeartbeatAsync(ImportJob job, CancellationTokenSource stop)
    {
        using var timer = new PeriodicTimer(SaveEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                try
                {
                    if (await TrySaveAsync(job, stop.Token)) continue;
                    job.Lost = true;
                    await stop.CancelAsync();
                    return;
                }
                catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
                {
                    // A store hiccup: the next beat tries again (StaleAfter leaves room for many).
                    LogImportSaveFailed(logger, e, job.Id);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The work ended.
        }
    }

    private async Task CommitChunksAsync(ImportJob job, CancellationToken ct)
    {
        for (var i = 0; i < job.Chunks; i++)
        {
            var chunk = await store.GetImportChunkAsync(job.Id, i, ct)
                ?? throw new InvalidOperationException($"Chunk {i} of import {job.Id} is missing from the store.");
            using var document = JsonDocument.Parse(ImportValidator.Unpack(chunk.Document));
            var outcome = await capture.CaptureDocumentAsync(job.ProducerId, document.RootElement, ct);
            if (!outcome.IsOk)
            {
                IEnumerable<string> why = outcome.Message is { } message ? [message] : outcome.Errors?.SelectMany(e => e.Value).Take(3) ?? [];
                job.Message = [LocalText.Of("Import_ChunkFailed", chunk.FirstRow, chunk.LastRow), .. why.Select(LocalText.Service), StoredSoFar(job)];
                job.Phase = ImportPhase.Failed;
                return;
            }
            job.Committed += chunk.EventCount;
            // The capture job counts the document's events; DuplicateCount of them were already stored.
            job.Stored += outcome.Value!.Job.EventCount - outcome.Value.Job.DuplicateCount;
            job.Duplicates += outcome.Value.Job.DuplicateCount;
            // Written at once, so the count a reader sees after an interruption is short by one capture at most.
            if (!await TrySaveAsync(job, ct))
            {
                job.Lost = true;
                throw new OperationCanceledException("Another host took the import over.");
            }
        }
        job.Phase = ImportPhase.Done;
    }

    private static LocalText StoredSoFar(ImportJob job) => job.Committed == 0
        ? LocalText.Of("Import_NothingStored")
        : LocalText.Of("Import_FirstStored", job.Committed);

    /// <summary>Why a job no host is working on any more stopped, and what the producer does now.</summary>
    private static LocalText Interrupted(ImportJob job) => job.Phase == ImportPhase.Validating
        ? LocalText.Of("Import_CheckInterrupted")
        : LocalText.Of("Import_StoreInterrupted", job.Committed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Import {JobId} failed")]
    private static partial void LogImportFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import {JobId} could not be written to the store")]
    private static partial void LogImportSaveFailed(ILogger logger, Exception exception, string jobId);
}
