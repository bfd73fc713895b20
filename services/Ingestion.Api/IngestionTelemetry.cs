using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Traceability.Ingestion.Api;

public sealed class IngestionTelemetry
{
    public const string Name = "Traceability.Ingestion";
    public static readonly ActivitySource Source = new(Name);

    public IngestionTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        EventsCaptured = meter.CreateCounter<long>("traceability.events.captured", "{event}", "EPCIS events stored");
    }

    public Counter<long> EventsCaptured { get; }
}
