using System.Diagnostics;
using Traceability.Standalone.Backup;
using Traceability.Testing;

namespace Traceability.Ingestion.FunctionalTests;

/// <summary>Issue 23: scheduled backups from configuration, pruned to Backup:Keep, and /health degraded when they stop.</summary>
public sealed class ScheduledBackupTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly string root = Path.Combine(Path.GetTempPath(), "trace-sched-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Backups_run_every_interval_keep_the_newest_and_each_is_whole()
    {
        var backups = Path.Combine(root, "backups");
        // 0.0005 h = 1.8 s between backups.
        await using var app = new TraceabilityApp { Settings = new Dictionary<string, string>
        {
            ["Backup:Directory"] = backups, ["Backup:IntervalHours"] = "0.0005", ["Backup:Keep"] = "2",
        } };
        await app.NewProducerAsync();
        // The host's first requests can take longer than one interval on a loaded machine (1.9 s measured
        // for the first /health beside other test runs), so the backups that must hold the producer are
        // the ones made after it was registered: wait until the kept ones all are.
        var registered = DateTimeOffset.UtcNow;
        var folders = new HashSet<string>();
        for (var clock = Stopwatch.StartNew(); folders.Count < 3 || DataBackup.List(backups).Any(f => DataBackup.CreatedAt(f) <= registered);
             await Task.Delay(100, Ct)) // watching the schedule, not timing it
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{folders.Count} backups in 60 s");
            folders.UnionWith(DataBackup.List(backups));
        }
        await Task.Delay(200, Ct); // the pruning right after the third
        var kept = DataBackup.List(backups);
        Assert.Equal(2, kept.Count);
        Assert.All(kept, f =>
        {
            var (manifest, problems) = DataBackup.Verify(f);
            Assert.Empty(problems);
            Assert.Equal(1, manifest!.Counts["producers"]);
        });
        Assert.Equal("Healthy", await app.CreateClient().GetStringAsync("/health", Ct));
    }

    [Fact]
    public async Task When_backups_fail_for_twice_the_interval_health_is_degraded()
    {
        var notADirectory = Path.Combine(root, "file");
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(notADirectory, "", Ct);
        await using var app = new TraceabilityApp { Settings = new Dictionary<string, string>
        {
            ["Backup:Directory"] = notADirectory, ["Backup:IntervalHours"] = "0.0005",
        } };
        var client = app.CreateClient();
        for (var clock = Stopwatch.StartNew(); await client.GetStringAsync("/health", Ct) != "Degraded"; await Task.Delay(200, Ct))
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "/health stayed healthy without backups");
    }

    public void Dispose()
    {
        try { Directory.Delete(root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
