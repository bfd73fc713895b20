using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Traceability.Authority.Api;

public sealed class AuthorityTelemetry
{
    public const string Name = "Traceability.Authority";
    public static readonly ActivitySource Source = new(Name);

    public AuthorityTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        ReportsReceived = meter.CreateCounter<long>("traceability.reports.received", "{report}", "Consumer reports accepted");
        ReportsRejected = meter.CreateCounter<long>("traceability.reports.rate_limited", "{request}", "Consumer reports refused by the rate limit");
        Inspections = meter.CreateCounter<long>("traceability.inspections.recorded", "{inspection}", "Inspection records stored");
        TraceExports = meter.CreateCounter<long>("traceability.trace.exports", "{export}", "Trace exports produced");
        Alerts = meter.CreateCounter<long>("traceability.early_warning.alerts", "{alert}", "Early-warning alerts raised (new cases, by kind)");
        AlertPushes = meter.CreateCounter<long>("traceability.early_warning.webhook", "{push}",
            "Early-warning webhook pushes, by outcome (delivered, or failed: retried later)");
    }

    public Counter<long> ReportsReceived { get; }
    public Counter<long> ReportsRejected { get; }
    public Counter<long> Inspections { get; }
    public Counter<long> TraceExports { get; }
    public Counter<long> Alerts { get; }
    public Counter<long> AlertPushes { get; }
}
