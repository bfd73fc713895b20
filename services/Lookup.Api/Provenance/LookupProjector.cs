namespace Traceability.Lookup.Api.Provenance;

/// <summary>
/// Keeps the lookup read model built (one background service): stores lookups' builds write-behind,
/// rebuilds the lots the change feed names (every host's changes, as <see cref="ChangeFeedService"/> reads
/// them, after their append deleted the rows), and sweeps at low priority for lots without a current row
/// (new lots, product-wide and "everything" changes, rows past their valid-until, a new projection version,
/// whatever a full queue dropped). At start it deletes rows of another <see cref="ProvenanceView.ProjectionVersion"/>.
/// Paced (issue 22: its builds took 12–15 % of the host's CPU during capture and sync): a changed lot waits
/// <see cref="Settle"/>, so the changes of a burst of captures coalesce into one build; builds take at most
/// <see cref="IdleShare"/> of the wall clock, <see cref="BusyShare"/> while this host writes, and never more than
/// <see cref="BuildsPerSecond"/>. None of this delays what a lookup shows: a change deletes the row at once
/// and a lookup without a row builds its own answer (a recall shows on the very next lookup).
/// </summary>
public sealed partial class LookupProjector(LookupReadModel model, TimeProvider time, ILogger<LookupProjector> logger) : BackgroundService
{
    /// <summary>At most this many projector and sweep builds a second (each ≈ 10 small queries).</summary>
    public const int BuildsPerSecond = 200;

    /// <summary>The share of the wall clock the builds may take while this host writes nothing (the time building, then a pause).</summary>
    public const double IdleShare = 0.25;

    /// <summary>The share while this host writes (captures, imports, a sync's marks): the builds wait for quieter moments.</summary>
    public const double BusyShare = 0.05;

    /// <summary>A lot the feed names is built this long after its first change, with every change that came meanwhile.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(500);
    private const int BatchSize = 50;
    private const int ObservedCapacity = 100_000;
    /// <summary>A finished sweep starts over after this long (sooner after a product-wide or "everything" change).</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    // Lot keys the change feed named, each once, in the order of its first change; when full, a key is
    // dropped and its lot found by the sweep (its row is gone).
    private readonly Queue<(string Key, DateTimeOffset At)> _observed = new();
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private string? _sweepAfter;
    private DateTimeOffset _sweepDue = DateTimeOffset.MinValue; // only the service's loop writes it
    private int _restartSweep;
    private TimeSpan? _nextSettled; // only the service's loop writes it
    private long _writesSeen; // this host's write count (ChangeFeedPublisher.LocalSequence) after the last build

    /// <summary>A change read from the feed (any origin): a lot key is rebuilt; a product or "everything" change brings the sweep forward.</summary>
    public void Observe(string key)
    {
        if (!model.Enabled) return;
        if (LotKey.TryParse(key, out _, out _))
        {
            lock (_observed)
            {
                if (_observed.Count < ObservedCapacity && _queued.Add(key)) _observed.Enqueue((key, time.GetUtcNow()));
            }
        }
        else
        {
            Interlocked.Exchange(ref _restartSweep, 1);
        }
        model.Signal();
    }

    /// <summary>Up to <see cref="BatchSize"/> keys whose first change is <see cref="Settle"/> old; the time until the next one settles.</summary>
    private (List<string> Keys, TimeSpan? Next) Settled()
    {
        var keys = new List<string>();
        var now = time.GetUtcNow();
        lock (_observed)
        {
            while (keys.Count < BatchSize && _observed.TryPeek(out var first) && now - first.At >= Settle)
            {
                _observed.Dequeue();
                _queued.Remove(first.Key);
                keys.Add(first.Key);
            }
            return (keys, _observed.TryPeek(out var next) ? next.At + Settle - now : null);
        }
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
                    // Idle: until a build is queued, a change observed, a changed lot settled or the next sweep is due
                    // (checked at least every SweepInterval).
                    var wake = _sweepDue - time.GetUtcNow();
                    if (_nextSettled is { } settles && settles < wake) wake = settles;
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

        (var keys, _nextSettled) = Settled();
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
        var clock = Stopwatch.StartNew();
        await BuildAndStoreAsync(lots, ct);
        await Task.Delay(Pause(clock.Elapsed, lots.Count), ct);
        return true;
    }

    /// <summary>
    /// The pause after a batch of builds that took <paramref name="took"/>: the rest of its share of the wall clock
    /// (a build of a lot with 180 events costs far more than one of 10, so builds a second alone did not bound the
    /// CPU), the smaller share when this host wrote since the last batch, and at least the builds-per-second floor.
    /// Wall-clock time rather than the (possibly simulated) clock: it is a CPU budget. On a loaded machine a batch
    /// takes longer, so the projector yields more.
    /// </summary>
    private TimeSpan Pause(TimeSpan took, int builds)
    {
        var writes = model.LocalWrites;
        var share = writes != Interlocked.Exchange(ref _writesSeen, writes) ? BusyShare : IdleShare;
        var budget = took * (1 / share - 1);
        var floor = TimeSpan.FromSeconds((double)builds / BuildsPerSecond);
        return budget > floor ? budget : floor;
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
