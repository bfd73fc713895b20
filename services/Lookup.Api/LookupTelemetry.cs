using System.Diagnostics.Metrics;

namespace Traceability.Lookup.Api;

/// <summary>The service's ActivitySource and Meter (both named "Traceability.Lookup.Api").</summary>
public sealed class LookupTelemetry : IDisposable
{
    public const string Name = "Traceability.Lookup.Api";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter;

    public LookupTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        Lookups = _meter.CreateCounter<long>("lookup.resolutions", description: "Digital Link resolutions by outcome and representation");
        CacheMisses = _meter.CreateCounter<long>("lookup.cache.misses", description: "Provenance projections built from the store");
        ViewReads = _meter.CreateCounter<long>("lookup.views.reads", description: "Cache misses answered from the stored read model (outcome hit) or built (outcome miss)");
        ViewsStored = _meter.CreateCounter<long>("lookup.views.stored", description: "Read-model rows written by lookups, the projector and its sweep");
        ScansDropped = _meter.CreateCounter<long>("lookup.scans.dropped", description: "Scans not logged because the queue was full or the store failed");
        ScansWritten = _meter.CreateCounter<long>("lookup.scans.written", description: "Scans written to the store");
        QrDecodes = _meter.CreateCounter<long>("lookup.qr.decodes", description: "QR decode requests by outcome");
        Verdicts = _meter.CreateCounter<long>("lookup.verdicts", description: "Verify answers by verdict (authentic, suspicious, unknown, …)");
        ScanAnomalies = _meter.CreateCounter<long>("lookup.scan.anomalies",
            description: "Scans flagged as anomalous, by a clone signal's reason code (clusters of unknown codes: traceability.early_warning.alerts)");
    }

    public Counter<long> Lookups { get; }
    public Counter<long> CacheMisses { get; }
    public Counter<long> ViewReads { get; }
    public Counter<long> ViewsStored { get; }
    public Counter<long> ScansDropped { get; }
    public Counter<long> ScansWritten { get; }
    public Counter<long> QrDecodes { get; }
    public Counter<long> Verdicts { get; }
    public Counter<long> ScanAnomalies { get; }

    /// <summary>Reports the provenance cache's size (bytes as counted against Lookup:CacheMegabytes, and entries).</summary>
    public void ObserveCache(Func<long> bytes, Func<long> entries)
    {
        _meter.CreateObservableGauge("lookup.cache.bytes", bytes, unit: "By", description: "Bytes the provenance cache holds, as counted against its budget");
        _meter.CreateObservableGauge("lookup.cache.entries", entries, description: "Lots and products in the provenance cache");
    }

    public static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    public void Dispose() => _meter.Dispose();
}
