namespace Traceability.Lookup.Api.Scans;

/// <summary>
/// The request side of the scan log: a bounded in-memory queue. Record never waits; when the
/// queue is full the scan is dropped and counted (the anomaly checks tolerate gaps, a slow page does not).
/// </summary>
public sealed class ScanLog
{
    private readonly Channel<ScanRecord> _queue;
    private readonly LookupTelemetry _telemetry;
    private long _dropped;
    private long _written;

    public ScanLog(IOptions<LookupOptions> options, LookupTelemetry telemetry)
    {
        _telemetry = telemetry;
        _queue = Channel.CreateBounded<ScanRecord>(new BoundedChannelOptions(options.Value.ScanQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: returns false instead of waiting
            SingleReader = true,
        });
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Written => Interlocked.Read(ref _written);

    internal ChannelReader<ScanRecord> Reader => _queue.Reader;

    public void Record(ScanRecord scan)
    {
        if (!_queue.Writer.TryWrite(scan))
            CountDropped(1);
    }

    internal void CountDropped(int n)
    {
        Interlocked.Add(ref _dropped, n);
        _telemetry.ScansDropped.Add(n);
    }

    internal void CountWritten(int n)
    {
        Interlocked.Add(ref _written, n);
        _telemetry.ScansWritten.Add(n);
    }

    internal void Complete() => _queue.Writer.TryComplete();
}
