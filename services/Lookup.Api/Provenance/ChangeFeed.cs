using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Traceability.Storage;

namespace Traceability.Lookup.Api.Provenance;

/// <summary>
/// What a writer calls after a write that public answers show (IChangeNotifier): this process's
/// lookup cache drops the key at once, and the key is queued for the store's change feed, which
/// <see cref="ChangeFeedService"/> appends and every other host polls. Keys: a lot key, <c>01/{gtin14}</c>
/// (the product and all its lots) or <see cref="ChangeKeys.All"/>.
/// </summary>
public sealed class ChangeFeedPublisher(ILookupCache cache) : IChangeNotifier
{
    // Unbounded but small in practice: drained every few milliseconds, and keys repeat (one per lot).
    private readonly Channel<string> _pending = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    internal ChannelReader<string> Pending => _pending.Reader;

    public void Changed(string key)
    {
        Evict(cache, key);
        _pending.Writer.TryWrite(key.TrimStart('/'));
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
    private const int PageSize = 1000;
    /// <summary>Changes are kept this long; every host has polled them many times over by then.</summary>
    private static readonly TimeSpan Retention = TimeSpan.FromHours(1);
    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(10);

    /// <summary>This process's id in the feed: its own changes were evicted when written, so polling skips them.</summary>
    public string Origin { get; } = Guid.NewGuid().ToString("N");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<IChangeFeedStore>() is not { } feed)
        {
            // Still drain the queue so it does not grow.
            while (await publisher.Pending.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
                while (publisher.Pending.TryRead(out _)) { }
            return;
        }
        await Task.WhenAll(PublishAsync(feed, stoppingToken), PollAsync(feed, stoppingToken)).ConfigureAwait(false);
    }

    private async Task PublishAsync(IChangeFeedStore feed, CancellationToken stoppingToken)
    {
        var batch = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (await publisher.Pending.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (publisher.Pending.TryRead(out var key)) batch.Add(key);
                await AppendAsync(feed, batch, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what was written must still reach the other hosts.
            while (publisher.Pending.TryRead(out var key)) batch.Add(key);
            await AppendAsync(feed, batch, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task AppendAsync(IChangeFeedStore feed, HashSet<string> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        try
        {
            await feed.AppendChangesAsync([.. batch], Origin, time.GetUtcNow(), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Other hosts then see these changes only when their cache entries expire (Lookup:CacheSeconds).
            Log.AppendFailed(logger, batch.Count, ex);
        }
        batch.Clear();
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
                if (change.Origin != Origin) ChangeFeedPublisher.Evict(cache, change.Key);
                last = Math.Max(last, change.Sequence);
            }
            if (window > 0) seen.RemoveWhere(s => s <= last - window);
            if (changes.Count < PageSize || fresh == 0) return last;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Warning, "Could not append {Count} change(s) to the store's change feed; other hosts see them when their cache entries expire")]
        public static partial void AppendFailed(ILogger logger, int count, Exception exception);

        [LoggerMessage(LogLevel.Warning, "Could not read the store's change feed; retrying")]
        public static partial void PollFailed(ILogger logger, Exception exception);
    }
}
