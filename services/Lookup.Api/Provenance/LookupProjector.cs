using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Traceability.Storage;

namespace Traceability.Lookup.Api.Provenance;

/// <summary>
/// Keeps the lookup read model built (one background service): stores lookups' builds write-behind,
/// rebuilds the lots the change feed names (every host's changes, as <see cref="ChangeFeedService"/> reads
/// them, after their append deleted the rows), and sweeps at low priority for lots without a current row
/// (new lots, product-wide and "everything" changes, rows past their valid-until, a new projection version,
/// whatever a full queue dropped). At start it deletes rows of another <see cref="ProvenanceView.ProjectionVersion"/>.
/// Builds are paced (<see cref="BuildsPerSecond"/>) so a burst of captures does not take the lookups' CPU.
/// </summary>
public sealed partial class LookupProjector(LookupReadModel model, TimeProvider time, ILogger<LookupProjector> logger) : BackgroundService
{
    /// <summary>At most this many projector and sweep builds a second (each ≈ 10 small queries).</summary>
    public const int BuildsPerSecond = 200;
    private const int BatchSize = 50;
    private const int ObservedCapacity = 100_000;
    /// <summary>A finished sweep starts over after this long (sooner after a product-wide or "everything" change).</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    // Keys the change feed named; when full, a key is dropped and its lot found by the sweep (its row is gone).
    private readonly Channel<string> _observed = Channel.CreateBounded<string>(
        new BoundedChannelOptions(ObservedCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private string? _sweepAfter;
    private DateTimeOffset _sweepDue = DateTimeOffset.MinValue; // only the service's loop writes it
    private int _restartSweep;

    /// <summary>A change read from the feed (any origin): a lot key is rebuilt; a product or "everything" change brings the sweep forward.</summary>
    public void Observe(string key)
    {
        if (!model.Enabled) return;
        if (LotKey.TryParse(key, out _, out _)) _observed.Writer.TryWrite(key);
        else Interlocked.Exchange(ref _restartSweep, 1);
        model.Signal();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!model.Enabled) return;
        try
        {
            var removed = await model.Views.DeleteLookupViewsExceptAsync(ProvenanceView.ProjectionVersion, stoppingToken);
            if (removed > 0) Log.OtherVersionDeleted(logger, removed, ProvenanceView.ProjectionVersion);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await StepAsync(stoppingToken)) continue;
                    // Idle: until a build is queued, a change observed, or the next sweep is due (checked at least every SweepInterval).
                    var wake = _sweepDue - time.GetUtcNow();
                    await model.WaitForWorkAsync(wake <= TimeSpan.Zero ? TimeSpan.Zero : wake < SweepInterval ? wake : SweepInterval, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.Failed(logger, ex);
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round: lookups' builds first, then changed lots, then a sweep page when one is due. False when idle.</summary>
    internal async Task<bool> StepAsync(CancellationToken ct)
    {
        var queued = new List<LookupReadModel.Built>();
        while (queued.Count < 10 * BatchSize && model.ToStore.TryRead(out var built)) queued.Add(built);
        if (queued.Count > 0) await model.StoreAsync(queued, ct);

        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (keys.Count < BatchSize && _observed.Reader.TryRead(out var key)) keys.Add(key);
        var lots = new List<LookupLot>(keys.Count);
        foreach (var key in keys)
        {
            // The change's append deleted the row, and a row built before the change cannot be stored after
            // it: a current row now was built since (by a lookup, mostly). After a large capture the feed names
            // every lot, and rebuilding them all anyway (a build and a store write each, 200 a second: over
            // 8 minutes for 100,000 lots) took CPU from the very lookups that had stored the rows.
            if (LotKey.TryParse(key, out var gtin, out var lot) && !await model.HasCurrentAsync(key, ct)) lots.Add(new LookupLot(gtin, lot));
        }
        var skipped = keys.Count > 0 && lots.Count == 0;
        if (Interlocked.Exchange(ref _restartSweep, 0) == 1) (_sweepAfter, _sweepDue) = (null, DateTimeOffset.MinValue);
        if (lots.Count == 0 && time.GetUtcNow() >= _sweepDue)
        {
            var page = await model.Views.ListLotsForLookupAsync(_sweepAfter, BatchSize, ProvenanceView.ProjectionVersion, time.GetUtcNow(), ct);
            lots = [.. page.Lots];
            _sweepAfter = page.Next;
            if (page.Next is null) _sweepDue = time.GetUtcNow() + SweepInterval;
            if (lots.Count == 0) return page.Next is not null;
        }
        if (lots.Count == 0) return queued.Count > 0 || skipped;
        await BuildAndStoreAsync(lots, ct);
        // Pacing is a CPU budget, so wall-clock time rather than the (possibly simulated) clock.
        await Task.Delay(TimeSpan.FromSeconds((double)lots.Count / BuildsPerSecond), ct);
        return true;
    }

    /// <summary>
    /// Rebuilds every lot's row (the <c>rebuild-lookup</c> command): deletes every row, then builds and stores
    /// each registered lot, writing progress. Product rows are built again on their next lookup.
    /// </summary>
    public async Task<(int Lots, int Stored)> RebuildAsync(TextWriter progress, CancellationToken ct)
    {
        if (!model.Enabled) throw new InvalidOperationException("The store has no lookup read model.");
        await model.Views.DeleteLookupViewsAsync([ChangeKeys.All], ct);
        var (lots, stored) = (0, 0);
        string? after = null;
        do
        {
            var page = await model.Views.ListLotsForLookupAsync(after, 500, null, time.GetUtcNow(), ct);
            after = page.Next;
            for (var i = 0; i < page.Lots.Count; i += BatchSize)
            {
                var chunk = page.Lots.Skip(i).Take(BatchSize).ToList();
                stored += await BuildAndStoreAsync(chunk, ct);
                lots += chunk.Count;
                if (lots % 1000 < chunk.Count) progress.WriteLine($"  {lots} lots rebuilt");
            }
        }
        while (after is not null);
        progress.WriteLine($"Rebuilt the lookup read model (version {ProvenanceView.ProjectionVersion}): {lots} lots, {stored} stored.");
        return (lots, stored);
    }

    private async Task<int> BuildAndStoreAsync(IReadOnlyList<LookupLot> lots, CancellationToken ct)
    {
        var built = new List<LookupReadModel.Built>(lots.Count);
        foreach (var lot in lots) built.Add(await model.BuildAsync(lot.Gtin, lot.Lot, ct));
        return await model.StoreAsync(built, ct);
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Deleted {Count} lookup read-model row(s) of another projection version; the sweep rebuilds them as version {Version}")]
        public static partial void OtherVersionDeleted(ILogger logger, long count, int version);

        [LoggerMessage(LogLevel.Warning, "The lookup read model's projector failed; retrying")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
