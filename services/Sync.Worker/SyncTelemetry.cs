using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Traceability.Sync;

/// <summary>The sync worker's ActivitySource and Meter, both named "Traceability.Sync".</summary>
public sealed class SyncTelemetry : IDisposable
{
    public const string Name = "Traceability.Sync";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _pushes;
    private readonly Counter<long> _retries;
    private volatile OutboxStatus? _status;

    public SyncTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        _pushes = _meter.CreateCounter<long>("traceability.sync.pushes", "{push}",
            "Portal pushes by outcome (created, already_exists, rejected, transient, unsupported).");
        _retries = _meter.CreateCounter<long>("traceability.sync.retries", "{row}",
            "Rows released for a later attempt after a transient failure.");
        _meter.CreateObservableGauge("traceability.sync.pending", () => _status?.Pending ?? 0, "{row}",
            "Outbox rows waiting to be pushed.");
        _meter.CreateObservableGauge("traceability.sync.oldest_pending_age", () => _status?.OldestPendingSeconds ?? 0, "s",
            "Age of the oldest pending outbox row.");
        _meter.CreateObservableGauge("traceability.sync.failed", () => _status?.Failed ?? 0, "{row}",
            "Outbox rows parked as failed.");
    }

    public void Pushed(OutboxKind kind, string outcome) =>
        _pushes.Add(1, new KeyValuePair<string, object?>("kind", kind.ToString().ToLowerInvariant()),
            new KeyValuePair<string, object?>("outcome", outcome));

    public void Retried(OutboxKind kind) =>
        _retries.Add(1, new KeyValuePair<string, object?>("kind", kind.ToString().ToLowerInvariant()));

    /// <summary>The gauges read the last snapshot the worker took (observable callbacks cannot await the store).</summary>
    public void Observe(OutboxStatus status) => _status = status;

    /// <summary>The portal call's span, a child of the capture's trace when the row carries one.</summary>
    public static Activity? StartPush(OutboxRow row)
    {
        ActivityContext.TryParse(row.TraceParent, null, out var parent);
        var activity = ActivitySource.StartActivity($"sync push {row.Kind.ToString().ToLowerInvariant()}",
            ActivityKind.Internal, parent);
        activity?.SetTag("traceability.outbox.id", row.Id);
        activity?.SetTag("traceability.outbox.kind", row.Kind.ToString());
        activity?.SetTag("traceability.outbox.key", row.Key);
        activity?.SetTag("traceability.outbox.attempts", row.Attempts);
        return activity;
    }

    public void Dispose() => _meter.Dispose();
}
