using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Traceability.Storage;

namespace Traceability.Lookup.Api.Verification;

/// <summary>
/// Counts scans of unknown codes per (GTIN, province) in a sliding window; at
/// Verify:UnknownAlertThreshold within Verify:UnknownAlertWindowHours an alert for authorities is
/// written to the store (and updated on every further scan). Fed by verify and by the public
/// lookup's 404s. The window lives in memory (per instance, reset on restart); alerts are durable.
/// </summary>
public sealed class UnknownCodeAlerts(IRecallStore store, IOptions<VerifyOptions> options, LookupTelemetry telemetry)
{
    public const string Kind = "unknown_code_cluster";
    private const int MaxTrackedAreas = 100_000;
    private readonly ConcurrentDictionary<(string Gtin, string Province), Queue<DateTimeOffset>> _windows = new();

    public async Task RecordUnknownAsync(string gtin14, string? province, DateTimeOffset now, CancellationToken ct)
    {
        // No area, no cluster: a scan without a province says nothing about "one area".
        if (province is null) return;
        if (_windows.Count >= MaxTrackedAreas && !_windows.ContainsKey((gtin14, province))) return;
        var window = TimeSpan.FromHours(options.Value.UnknownAlertWindowHours);
        var times = _windows.GetOrAdd((gtin14, province), _ => new Queue<DateTimeOffset>());
        int count;
        DateTimeOffset first;
        lock (times)
        {
            times.Enqueue(now);
            while (times.Count > 0 && times.Peek() < now - window) times.Dequeue();
            count = times.Count;
            first = times.Peek();
        }
        if (count < options.Value.UnknownAlertThreshold) return;
        telemetry.ScanAnomalies.Add(1, LookupTelemetry.Tag("kind", Kind));
        var code = $"01/{gtin14}";
        await store.UpsertAlertAsync(new VerificationAlert(AlertId(code, province), Kind, code, province, count, first, now), ct);
    }

    private static string AlertId(string code, string province) =>
        "al-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Kind}|{code}|{province}")))[..16];
}
