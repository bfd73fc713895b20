using System.Threading.RateLimiting;

namespace Traceability.Lookup.Api.Qr;

/// <summary>
/// Bounds the decodes running at once (Lookup:MaxConcurrentDecodes) and those waiting
/// (Lookup:DecodeQueueLength, oldest first): the anonymous endpoint's CPU and memory stay bounded
/// however many uploads arrive; a request that finds the queue full is refused at once (503).
/// </summary>
internal sealed class QrDecodeGate : IDisposable
{
    private readonly ConcurrencyLimiter limiter;

    public QrDecodeGate(IOptions<LookupOptions> options)
    {
        var o = options.Value;
        limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = o.MaxConcurrentDecodes,
            QueueLimit = o.DecodeQueueLength,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        // A photo takes ≲ 0.5 s to decode (benchmark README), so a full queue drains in about
        // half a second per waiting upload per slot.
        RetryAfterSeconds = Math.Max(1, (int)Math.Ceiling(0.5 * (o.DecodeQueueLength + o.MaxConcurrentDecodes) / o.MaxConcurrentDecodes));
    }

    public int RetryAfterSeconds { get; }

    /// <summary>A lease whose <see cref="RateLimitLease.IsAcquired"/> is false when the queue is full.</summary>
    public ValueTask<RateLimitLease> EnterAsync(CancellationToken ct) => limiter.AcquireAsync(1, ct);

    /// <summary>Uploads waiting for a slot now (tests wait for a request to be queued).</summary>
    public long Queued => limiter.GetStatistics()?.CurrentQueuedCount ?? 0;

    public void Dispose() => limiter.Dispose();
}
