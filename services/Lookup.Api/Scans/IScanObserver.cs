namespace Traceability.Lookup.Api.Scans;

/// <summary>
/// Something that learns from scans as they are written (the early-warning counters): called by
/// <see cref="ScanLogWriter"/> with each batch after it is stored, off the request path, so it
/// never rescans the log. A failing observer is logged and never loses the batch for the log.
/// </summary>
public interface IScanObserver
{
    Task ObserveAsync(IReadOnlyList<ScanRecord> batch, CancellationToken ct);
}
