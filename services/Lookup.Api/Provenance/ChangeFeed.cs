using System.Collections.Concurrent;

namespace Traceability.Lookup.Api.Provenance;

/// <summary>
/// What a writer calls after a write that public answers show (IChangeNotifier): this process's
/// lookup cache drops the key at once, and the key is queued for the store's change feed, which
/// <see cref="ChangeFeedService"/> appends and every other host polls. Keys: a lot key, <c>01/{gtin14}</c>
/// (the product and all its lots) or <see cref="ChangeKeys.All"/>. Until its append (which deletes the
/// read-model rows it names) a key is <em>unpublished</em>: this host's read model neither reads nor
/// stores its rows (<see cref="ChangedSince"/>), so a recall shows on the very next lookup here.
/// </summary>
public sealed class ChangeFeedPublisher(ILookupCache cache) : IChangeNotifier
{
    // Unbounded but small in practice: drained every few milliseconds, and keys repeat (one per lot).
    private readonly Channel<string> _pending = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    // Key → the local sequence of its newest Changed, until an append that covers it succeeded.
    private readonly ConcurrentDictionary<string, long> _unpublished = new(StringComparer.Ordinal);
    private long _local;

    internal ChannelReader<string> Pending => _pending.Reader;

    /// <summary>Counts this host's Changed calls: a build notes it first and stores only if nothing it reads changed since.</summary>
    public long LocalSequence => Interlocked.Read(ref _local);

    public void Changed(string key)
    {
        var trimmed = key.TrimStart('/');
        _unpublished[trimmed] = Interlocked.Increment(ref _local);
        Evict(cache, key);
        _pending.Writer.TryWrite(trimmed);
    }

    /// <summary>
    /// True when this host was told of a change to the key, its product or everything after local sequence
    /// <paramref name="since"/> (0: at all) that is not in the store's change feed yet.
    /// </summary>
    public bool ChangedSince(string key, string gtin14, long since) =>
        !_unpublished.IsEmpty && (After(key, since) || After(ChangeKeys.Product(gtin14), since) || After(ChangeKeys.All, since));

    private bool After(string key, long since) => _unpublished.TryGetValue(key, out var at) && at > since;

    /// <summary>The local sequence a queued key has now (taken into a batch with it).</summary>
    internal long UnpublishedAt(string key) => _unpublished.GetValueOrDefault(key);

    /// <summary>The batch is in the feed: its keys are published unless changed again since it was taken.</summary>
    internal void Published(IEnumerable<KeyValuePair<string, long>> batch)
    {
        foreach (var taken in batch) ((ICollection<KeyValuePair<string, long>>)_unpublished).Remove(taken);
    }

    internal static void Evict(ILookupCache cache, string key)
    {
        if (key == ChangeKeys.All) cache.InvalidateAll();
        else cache.Invalidate(key);
    }
}

/// <summary>
/// Keeps hosts over one store in step: appends this host's changes to the store's change feed
/// (batched: one write for whatever queued meanwhile, so a burst of captures costs one row set, not
/// one transaction each) and polls the feed every <see cref="PollInterval"/> for other hosts' changes,
/// evicting the cache entries they name. A recall issued on one host shows on every other within
/// about two poll intervals. Without a feed (a store that has none) the cache's TTL alone bounds staleness.
/// </summary>
public sealed partial class ChangeFeedService(
    ChangeFeedPublisher publisher, ILookupCache cache, IServiceProvider services, TimeProvider time, ILogger<ChangeFeedService> logger)
    : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    /// <summary>A failed append is retried (its keys stay unpublished here, and stale elsewhere, until it lands).</summary>
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);
    private const int PageSize = 1000;
    /// <summary>Changes are kept this long; every host has polled them many times over by then.</summary>
    private static readonly TimeSpan Retention = TimeSpan.FromHours(1);
    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(10);

    /// <summary>This process's id in the feed: its own changes were evicted when written, so polling skips them.</summary>
    public string Origin { get; } = Guid.NewGuid().ToString("N");

    private readonly LookupProjector? projector = services.GetService<LookupProjector>();
    // Other in-memory caches of catalogue facts (the early-warning engine's): told of other hosts' changes too.
    private readonly IChangeListener[] listeners = [.. services.GetServices<IChangeListener>()];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<IChangeFeedStore>() is not { } feed)
        {
            // Still drain the queue (and the unpublished keys) so they do not grow; no read model without a feed.
            var batch = new Dictionary<string, long>(StringComparer.Ordinal);
            while (await publisher.Pending.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                Take(batch);
                publisher.Published(batch);
                batch.Clear();
            }
            return;
        }
        await Task.WhenAll(PublishAsync(feed, stoppingToken), PollAsync(feed, stoppingToken)).ConfigureAwait(false);
    }

    private async Task PublishAsync(IChangeFeedStore feed, CancellationToken stoppingToken)
    {
        var batch = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            while (await publisher.Pending.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                Take(batch);
                while (!await AppendAsync(feed, batch, stoppingToken).ConfigureAwait(false))
                {
                    await Task.Delay(RetryInterval, time, stoppingToken).ConfigureAwait(false);
                    Take(batch);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what was written must still reach the other hosts.
            Take(batch);
            await AppendAsync(feed, batch, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private void Take(Dictionary<string, long> batch)
    {
        while (publisher.Pending.TryRead(out var key)) batch[key] = publisher.UnpublishedAt(key);
    }

    /// <summary>Appends the batch (which deletes the read-model rows it names); false when the store failed.</summary>
    private async Task<bool> AppendAsync(IChangeFeedStore feed, Dictionary<string, long> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return true;
        try
        {
            await feed.AppendChangesAsync([.. batch.Keys], Origin, time.GetUtcNow(), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.AppendFailed(logger, batch.Count, ex);
            return false;
        }
        publisher.Published(batch);
        batch.Clear();
        return true;
    }

    private async Task PollAsync(IChangeFeedStore feed, CancellationToken stoppingToken)
    {
        long? last = null;
        var window = Math.Max(0, feed.ReorderWindow);
        var seen = new SortedSet<long>();
        var nextPrune = time.GetUtcNow();
        using var timer = new PeriodicTimer(PollInterval, time);
        try
        {
            do
            {
                try
                {
                    // Start at the newest change: this host's cache is empty, so nothing older can be stale in it.
                    last ??= await feed.LatestChangeAsync(stoppingToken).ConfigureAwait(false);
                    last = await ReadAsync(feed, last.Value, window, seen, stoppingToken).ConfigureAwait(false);
                    if (time.GetUtcNow() >= nextPrune)
                    {
                        nextPrune = time.GetUtcNow() + PruneInterval;
                        await feed.PruneChangesAsync(time.GetUtcNow() - Retention, stoppingToken).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.PollFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Evicts what other hosts changed after <paramref name="last"/>; returns the new position.</summary>
    private async Task<long> ReadAsync(IChangeFeedStore feed, long last, int window, SortedSet<long> seen, CancellationToken ct)
    {
        while (true)
        {
            // A provider whose sequences may become visible out of order is read again over a window
            // below the position; sequences already handled are skipped.
            var changes = await feed.ReadChangesAsync(Math.Max(0, last - window), PageSize, ct).ConfigureAwait(false);
            var fresh = 0;
            foreach (var change in changes)
            {
                if (change.Sequence <= last && (window == 0 || seen.Contains(change.Sequence))) continue;
                fresh++;
                if (window > 0) seen.Add(change.Sequence);
                if (change.Origin != Origin)
                {
                    ChangeFeedPublisher.Evict(cache, change.Key);
                    foreach (var listener in listeners) listener.Changed(change.Key);
                }
                // Every origin's: the read model rebuilds the lots changes name (the append deleted their rows).
                projector?.Observe(change.Key);
                last = Math.Max(last, change.Sequence);
            }
            if (window > 0) seen.RemoveWhere(s => s <= last - window);
            if (changes.Count < PageSize || fresh == 0) return last;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Warning, "Could not append {Count} change(s) to the store's change feed; retrying (other hosts see them once appended)")]
        public static partial void AppendFailed(ILogger logger, int count, Exception exception);

        [LoggerMessage(LogLevel.Warning, "Could not read the store's change feed; retrying")]
        public static partial void PollFailed(ILogger logger, Exception exception);
    }
}
