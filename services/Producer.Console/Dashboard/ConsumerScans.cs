namespace Traceability.ProducerConsole.Dashboard;

/// <summary>
/// How often consumers looked a producer's lots up: counts only, from the scan log (which keeps no
/// one's identity anyway). Inspectors', producers' and staff scans, and scans of unregistered codes,
/// are not consumer scans.
/// </summary>
internal static class ConsumerScans
{
    public static async Task<int> CountAsync(IScanStore scans, string lotKey, DateTimeOffset since, CancellationToken ct) =>
        (await scans.GetScansAsync(lotKey, since, ct)).Count(s => s.Source == ScanSources.Consumer && !s.Unknown);
}
