namespace Traceability.Lookup.Api.Scans;

/// <summary>
/// Drains the scan queue into IScanStore in batches, then shows each stored batch to the
/// <see cref="IScanObserver"/>s. Without a scan store, scans are counted as dropped.
/// </summary>
public sealed partial class ScanLogWriter(
    ScanLog log, IServiceProvider services, IOptions<LookupOptions> options, ILogger<ScanLogWriter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var store = services.GetService<IScanStore>();
        var observers = services.GetServices<IScanObserver>().ToArray();
        var batch = new List<ScanRecord>(options.Value.ScanBatchSize);
        try
        {
            while (await log.Reader.WaitToReadAsync(stoppingToken))
            {
                // Scans arrive one per lookup: a short wait gathers many into one write transaction
                // (one disk flush) instead of a transaction for each of a few.
                await Task.Delay(options.Value.ScanFlushDelay, stoppingToken);
                while (batch.Count < options.Value.ScanBatchSize && log.Reader.TryRead(out var scan))
                    batch.Add(scan);
                await FlushAsync(store, observers, batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: write what is already queued, without waiting for more.
            while (log.Reader.TryRead(out var scan)) batch.Add(scan);
            await FlushAsync(store, observers, batch, CancellationToken.None);
        }
    }

    private async Task FlushAsync(IScanStore? store, IScanObserver[] observers, List<ScanRecord> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        try
        {
            if (store is null)
            {
                log.CountDropped(batch.Count);
                return;
            }
            var written = batch.ToArray();
            await store.AddScansAsync(written, ct);
            log.CountWritten(batch.Count);
            foreach (var observer in observers)
            {
                try
                {
                    await observer.ObserveAsync(written, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogObserverFailed(logger, observer.GetType().Name, ex);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.CountDropped(batch.Count);
            LogWriteFailed(logger, batch.Count, ex);
        }
        finally
        {
            batch.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Observer} could not learn from a batch of scans")]
    private static partial void LogObserverFailed(ILogger logger, string observer, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {Count} scans; they are dropped")]
    private static partial void LogWriteFailed(ILogger logger, int count, Exception exception);
}
