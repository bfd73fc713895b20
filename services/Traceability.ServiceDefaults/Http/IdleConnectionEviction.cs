using System.Collections.Concurrent;
using System.IO.Pipelines;

namespace Traceability.ServiceDefaults.Http;

/// <summary>
/// Makes room for a new client by closing the connection that has waited longest for its client
/// to send anything, once the open connections come near Kestrel's
/// <c>MaxConcurrentConnections</c>.
/// <para>
/// Why (issue 16): at the limit Kestrel refuses every new connection until an idle one reaches
/// its keep-alive timeout (30 s). 15,000 sockets that connect and never send a byte therefore
/// kept new shoppers out for 31.5 s, and an attacker who reconnects keeps them out for good.
/// Idle connections cost the server nothing to close (a browser or HttpClient reopens a closed
/// keep-alive connection on its next request), so under pressure the longest-silent one gives its
/// place to the newcomer. Only connections whose read is pending count as silent: a request the
/// application is still answering is never cut.
/// </para>
/// Eviction starts <see cref="Headroom"/> connections below the limit, so Kestrel's own refusal
/// stays the last resort (every connection busy sending or being answered).
/// </summary>
public sealed class IdleConnectionEviction(TimeProvider time)
{
    private readonly ConcurrentDictionary<long, Tracked> _open = new();
    private long _nextId;
    private long _evicted;

    /// <summary>Kestrel's MaxConcurrentConnections, set when its options are configured.</summary>
    public long ConnectionLimit { get; set; } = long.MaxValue;

    /// <summary>Connections from the limit at which eviction starts: 1 %, at least 16, at most a quarter of the limit.</summary>
    public long Headroom => Math.Min(Math.Max(16, ConnectionLimit / 100), Math.Max(1, ConnectionLimit / 4));

    public long Threshold => ConnectionLimit - Headroom;

    public int OpenConnections => _open.Count;

    /// <summary>Idle connections closed since the last call (for the rate-limited log line).</summary>
    public long TakeEvicted() => Interlocked.Exchange(ref _evicted, 0);

    public ConnectionDelegate Middleware(ConnectionDelegate next) => async context =>
    {
        if (_open.Count >= Threshold) EvictLongestSilent();
        var id = Interlocked.Increment(ref _nextId);
        var tracked = new Tracked(context, time.GetTimestamp());
        _open[id] = tracked;
        var transport = context.Transport;
        context.Transport = new TrackedPipe(transport, tracked, time);
        try
        {
            await next(context);
        }
        finally
        {
            _open.TryRemove(id, out _);
            context.Transport = transport;
        }
    };

    private void EvictLongestSilent()
    {
        // A scan rather than an ordered index: it runs only near the limit, and 10,000 entries
        // take well under a millisecond, while keeping an order would cost every read of every
        // connection a lock.
        Tracked? oldest = null;
        foreach (var entry in _open.Values)
            if (entry.Waiting && (oldest is null || entry.SilentSince < oldest.SilentSince))
                oldest = entry;
        if (oldest is null || !oldest.TryEvict()) return;
        Interlocked.Increment(ref _evicted);
        oldest.Context.Abort(new ConnectionAbortedException("Closed to make room for a new client: it sent nothing while the host was at its connection limit."));
    }

    private sealed class Tracked(ConnectionContext context, long openedAt)
    {
        private int _evicted;
        public ConnectionContext Context { get; } = context;
        /// <summary>A new connection waits for its first request.</summary>
        public volatile bool Waiting = true;
        public long SilentSince = openedAt;
        public bool TryEvict() => Interlocked.Exchange(ref _evicted, 1) == 0;
    }

    private sealed class TrackedPipe(IDuplexPipe inner, Tracked tracked, TimeProvider time) : IDuplexPipe
    {
        public PipeReader Input { get; } = new TrackedReader(inner.Input, tracked, time);
        public PipeWriter Output => inner.Output;
    }

    /// <summary>Marks the connection silent while the server waits on it, and active when bytes arrive.</summary>
    private sealed class TrackedReader(PipeReader inner, Tracked tracked, TimeProvider time) : PipeReader
    {
        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            if (inner.TryRead(out var ready)) return Seen(ready);
            Volatile.Write(ref tracked.SilentSince, time.GetTimestamp());
            tracked.Waiting = true;
            return Seen(await inner.ReadAsync(cancellationToken));
        }

        public override bool TryRead(out ReadResult result)
        {
            if (!inner.TryRead(out result)) return false;
            Seen(result);
            return true;
        }

        private ReadResult Seen(ReadResult result)
        {
            tracked.Waiting = false;
            return result;
        }

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);
        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);
        public override void CancelPendingRead() => inner.CancelPendingRead();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
    }
}
