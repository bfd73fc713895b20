using Traceability.Standalone.Backup;

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
        // Backups started after the producer was stored hold it; one started before (at start-up, or
        // while a slow machine was still creating it) may not, so only the later ones are counted.
        var producerStored = DateTimeOffset.UtcNow;
        var folders = new Dictionary<string, DateTimeOffset?>(); // each backup seen, with its time read before it is pruned
        for (var clock = Stopwatch.StartNew(); folders.Values.Count(t => t > producerStored) < 3; await Task.Delay(100, Ct)) // watching the schedule, not timing it
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"{folders.Count} backups in 90 s");
            foreach (var f in DataBackup.List(backups)) folders.TryAdd(f, DataBackup.CreatedAt(f));
        }
        var kept = DataBackup.List(backups);
        for (var clock = Stopwatch.StartNew(); kept.Count != 2; kept = DataBackup.List(backups)) // pruned to Keep a moment after each new one
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{kept.Count} backups kept, Backup:Keep = 2");
        Assert.All(kept, f =>
        {
            var (manifest, problems) = DataBackup.Verify(f);
            Assert.Empty(problems);
            Assert.Equal(1, manifest!.Counts["producers"]);
        });
        Assert.DoesNotContain(folders.Keys.Order().Take(folders.Count - 2), kept.Contains); // the older ones are gone
        // Healthy while backups keep coming; re-read, since a loaded machine may let one run late for a moment.
        var client = app.CreateClient();
        for (var clock = Stopwatch.StartNew(); await client.GetStringAsync("/health", Ct) != "Healthy"; await Task.Delay(200, Ct))
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "/health not Healthy while backups run");
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
