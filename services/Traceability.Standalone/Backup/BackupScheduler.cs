using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Traceability.Standalone.Backup;

/// <summary>
/// Scheduled backups into Backup:Directory every Backup:IntervalHours, keeping Backup:Keep; the
/// first one at start when the newest is older than the interval. The same code as the command.
/// </summary>
public sealed partial class BackupScheduler(IOptions<BackupOptions> options, IOptions<StorageOptions> storage,
    Microsoft.Extensions.Configuration.IConfiguration configuration, TimeProvider time, ILogger<BackupScheduler> logger) : BackgroundService
{
    /// <summary>When the newest finished backup was made (null: none yet).</summary>
    public DateTimeOffset? LastBackupAt { get; private set; }

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.Directory)) return;
        await Task.Yield(); // off the start-up path: the host starts serving while this runs
        var parent = Path.GetFullPath(o.Directory);
        var interval = TimeSpan.FromHours(o.IntervalHours);
        LastBackupAt = DataBackup.List(parent).Select(DataBackup.CreatedAt).FirstOrDefault(t => t is not null);
        while (!stoppingToken.IsCancellationRequested)
        {
            var due = (LastBackupAt ?? DateTimeOffset.MinValue) + interval;
            var wait = due - time.GetUtcNow();
            if (wait > TimeSpan.Zero) await Task.Delay(wait, time, stoppingToken);
            try
            {
                var provider = (configuration["Storage:Provider"] ?? "Sqlite").ToLowerInvariant();
                var folder = await Task.Run(() => DataBackup.Create(Path.GetFullPath(storage.Value.DataDirectory), parent, provider, time.GetUtcNow()), stoppingToken);
                LastBackupAt = time.GetUtcNow();
                Log.Written(logger, folder);
                foreach (var old in DataBackup.List(parent).Skip(o.Keep)) Directory.Delete(old, recursive: true);
            }
            catch (Exception e) when (e is BackupException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                Log.Failed(logger, parent, e);
                // Try again after a tenth of the interval (at least a minute), not in a tight loop.
                await Task.Delay(TimeSpan.FromTicks(Math.Max(interval.Ticks / 10, TimeSpan.FromMinutes(1).Ticks)), time, stoppingToken);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Backup written to {Folder}")]
        public static partial void Written(ILogger logger, string folder);

        [LoggerMessage(2, LogLevel.Error, "Scheduled backup into {Directory} failed")]
        public static partial void Failed(ILogger logger, string directory, Exception exception);
    }
}

/// <summary>Degraded when scheduled backups are on and the last one (or the start, if none yet) is older than twice the interval.</summary>
public sealed class BackupHealthCheck(BackupScheduler scheduler, IOptions<BackupOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.Directory)) return Task.FromResult(HealthCheckResult.Healthy("Scheduled backups are off (Backup:Directory unset)."));
        var since = scheduler.LastBackupAt ?? scheduler.StartedAt;
        var age = time.GetUtcNow() - since;
        return Task.FromResult(age > TimeSpan.FromHours(2 * o.IntervalHours)
            ? HealthCheckResult.Degraded(scheduler.LastBackupAt is null
                ? $"No backup has been made in {age.TotalHours:0.#} h (Backup:IntervalHours = {o.IntervalHours})."
                : $"The last backup is {age.TotalHours:0.#} h old (Backup:IntervalHours = {o.IntervalHours}).")
            : HealthCheckResult.Healthy($"Last backup {scheduler.LastBackupAt:u}."));
    }
}
