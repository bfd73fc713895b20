using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;

namespace Traceability.Lookup.Tests;

/// <summary>
/// The change feed's publisher and poller over an in-memory feed: the writer's own cache is evicted at
/// once and the key appended once; other hosts' changes are evicted, the host's own are not; and with a
/// reorder window (MongoDB's counter-then-insert) a change that becomes visible after a higher one is
/// still evicted. The two-host test (Ingestion.FunctionalTests StatelessHostsTests) runs it for real.
/// </summary>
public sealed class ChangeFeedTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Own_changes_evict_at_once_and_reach_the_feed_other_hosts_changes_are_evicted_even_when_they_arrive_late()
    {
        var cache = new RecordingCache();
        var feed = new MemoryFeed { ReorderWindow = 16 };
        var publisher = new ChangeFeedPublisher(cache);
        var services = new ServiceCollection().AddSingleton<IChangeFeedStore>(feed).BuildServiceProvider();
        using var service = new ChangeFeedService(publisher, cache, services, TimeProvider.System, NullLogger<ChangeFeedService>.Instance);
        await service.StartAsync(Ct);

        publisher.Changed("01/08930000000019/10/A");
        Assert.Contains("01/08930000000019/10/A", cache.Evicted); // at once, before any poll
        await UntilAsync(() => feed.Visible.Any(c => c.Key == "01/08930000000019/10/A" && c.Origin == service.Origin));

        var late = feed.Reserve();
        feed.Add(new StoreChange(late + 1, "01/08930000000026", "other", DateTimeOffset.UtcNow)); // the higher sequence first…
        await UntilAsync(() => cache.Evicted.Contains("01/08930000000026"));
        feed.Add(new StoreChange(late, "01/08930000000033", "other", DateTimeOffset.UtcNow)); // …then the lower one, late
        await UntilAsync(() => cache.Evicted.Contains("01/08930000000033"));
        feed.Add(new StoreChange(feed.Reserve() + 1, ChangeKeys.All, "other", DateTimeOffset.UtcNow));
        await UntilAsync(() => cache.All > 0);

        await service.StopAsync(Ct);
        Assert.Equal(1, cache.Evicted.Count(k => k == "01/08930000000019/10/A")); // its own change came back from the feed and was skipped
        Assert.Single(feed.Visible, c => c.Origin == service.Origin);
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "timed out");
            await Task.Delay(20, Ct);
        }
    }

    private sealed class RecordingCache : ILookupCache
    {
        public ConcurrentQueue<string> Evicted { get; } = new();
        public int All;

        public void Invalidate(string key) => Evicted.Enqueue(key);

        public void InvalidateAll() => Interlocked.Increment(ref All);
    }

    /// <summary>A feed whose sequences are handed out first and become visible when added, in any order.</summary>
    private sealed class MemoryFeed : IChangeFeedStore
    {
        private readonly Lock _gate = new();
        private readonly List<StoreChange> _visible = [];
        private long _next;

        public int ReorderWindow { get; init; }

        public IReadOnlyList<StoreChange> Visible { get { lock (_gate) return [.. _visible]; } }

        /// <summary>Takes the next sequence (not visible yet) and returns it.</summary>
        public long Reserve() => Interlocked.Increment(ref _next);

        public void Add(StoreChange change)
        {
            lock (_gate)
            {
                _visible.Add(change);
                _next = Math.Max(_next, change.Sequence);
            }
        }

        public Task AppendChangesAsync(IReadOnlyList<string> keys, string origin, DateTimeOffset at, CancellationToken ct = default)
        {
            foreach (var key in keys) Add(new StoreChange(Reserve(), key, origin, at));
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<StoreChange>> ReadChangesAsync(long after, int max, CancellationToken ct = default)
        {
            lock (_gate) return Task.FromResult<IReadOnlyList<StoreChange>>([.. _visible.Where(c => c.Sequence > after).OrderBy(c => c.Sequence).Take(max)]);
        }

        public Task<long> LatestChangeAsync(CancellationToken ct = default)
        {
            lock (_gate) return Task.FromResult(_visible.Count == 0 ? 0L : _visible.Max(c => c.Sequence));
        }

        public Task PruneChangesAsync(DateTimeOffset before, CancellationToken ct = default) => Task.CompletedTask;
    }
}
