using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Traceability.ServiceDefaults.Health;

/// <summary>
/// <c>/health</c> is Degraded while the data directory's file system is full or nearly so: reads
/// still work (the host stays in rotation) but writes answer 507. It turns Healthy by itself once
/// space is freed, since both checks run on every probe: the free space against
/// <c>Storage:MinFreeMegabytes</c>, and a small file written and deleted (a quota or a full
/// disk that still reports free blocks).
/// </summary>
internal sealed class DiskSpaceHealthCheck(IConfiguration configuration, IOptions<StorageOptions> options) : IHealthCheck
{
    private static readonly byte[] Probe = new byte[64 * 1024];

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var directory = StorageOptions.FullDataDirectory(configuration);
        if (!Directory.Exists(directory)) return HealthCheckResult.Healthy("The data directory is not created yet.");
        var free = new DriveInfo(directory).AvailableFreeSpace;
        var data = new Dictionary<string, object> { ["freeBytes"] = free };
        if (free < options.Value.MinFreeMegabytes * 1024L * 1024)
            return HealthCheckResult.Degraded($"Only {free / 1024 / 1024} MB free under the data directory (Storage:MinFreeMegabytes = {options.Value.MinFreeMegabytes}): writes may answer 507.", data: data);
        var probe = Path.Combine(directory, ".space-probe-" + Guid.NewGuid().ToString("N"));
        try
        {
            await File.WriteAllBytesAsync(probe, Probe, ct);
            return HealthCheckResult.Healthy(data: data);
        }
        catch (IOException e) when (e.IsDiskFull())
        {
            return HealthCheckResult.Degraded("The data directory's disk is full: writes answer 507.", data: data);
        }
        finally
        {
            File.Delete(probe);
        }
    }
}
