using Capture = Traceability.Ingestion.FunctionalTests.ReliabilityTests.Capture;

namespace Traceability.Ingestion.FunctionalTests;

/// <summary>
/// Issue 23's restore drill, with the commands a province's IT officer runs: capture under load,
/// `backup --to` mid-load beside the running host, SIGKILL, `restore --from` into a new directory,
/// start there, and check what the backup promises.
/// </summary>
public sealed class RestoreDrillTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly string root = Path.Combine(Path.GetTempPath(), "trace-drill-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_backup_taken_under_load_restores_every_acknowledged_event_once_with_contacts_labels_and_sync()
    {
        var data = Path.Combine(root, "data");
        var restored = Path.Combine(root, "restored");
        var backups = Path.Combine(root, "backups");
        await using var portal = await SimulatorHost.StartAsync();
        var settings = portal.HostSettings();
        settings["Sync:LeaseSeconds"] = "5";
        settings["Portal:TotalTimeout"] = "00:00:03";
        settings["Portal:AttemptTimeout"] = "00:00:01";
        settings["RateLimits:PublicPermitLimit"] = "0";
        var gtin = "0" + "893999700001" + Traceability.Domain.Gs1.Gs1CheckDigit.Compute("0893999700001");
        string[] lots = ["B0", "B1", "B2", "B3"];
        var sent = new ConcurrentBag<Capture>();
        string producerKey, serialLink;
        IReadOnlyList<Capture> beforeBackup;

        using (var host = await StandaloneProcess.StartAsync(data, TraceabilityApp.AdminKey, settings))
        {
            var admin = host.Client(TraceabilityApp.AdminKey);
            var body = await (await admin.PostAsJsonAsync("/api/v1/producers", new
            {
                name = "HTX Chè", taxCode = "5000999997", address = "x", province = "Tuyên Quang", companyPrefixes = new[] { "8939997" },
            }, Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);
            producerKey = (string)body!["apiKey"]!;
            var producer = host.Client(producerKey);
            Assert.Equal(HttpStatusCode.Created, (await producer.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = "Chè" } }, Ct)).StatusCode);
            foreach (var lot in lots)
                Assert.Equal(HttpStatusCode.Created, (await producer.PostAsJsonAsync("/api/v1/lots", new { gtin, lot }, Ct)).StatusCode);
            var serials = await (await producer.PostAsJsonAsync($"/api/v1/lots/{gtin}/B0/serials", new { count = 1 }, Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);
            serialLink = (string)serials!["links"]![0]!;
            Assert.Equal(HttpStatusCode.Accepted, (await host.Client(null).PostAsJsonAsync("/api/v1/reports", new
            {
                code = serialLink, category = "quality", message = "Bao bì rách", contact = "0912 000 222",
            }, Ct)).StatusCode);

            using var stop = new CancellationTokenSource();
            var capturing = Enumerable.Range(0, 2).Select(worker => Task.Run(async () =>
            {
                for (var n = worker; !stop.IsCancellationRequested; n += 2)
                {
                    var capture = Capture.Of(gtin, lots[n % lots.Length], events: 50);
                    HttpStatusCode? status = null;
                    try
                    {
                        status = (await producer.PostAsync("/epcis/capture", capture.Content())).StatusCode;
                    }
                    catch (HttpRequestException) { }
                    catch (TaskCanceledException) { }
                    sent.Add(capture with { Acknowledged = status == HttpStatusCode.Accepted });
                    if (status is null) return; // the host is gone
                }
            })).ToList();
            while (sent.Count(c => c.Acknowledged) < 6) await Task.Delay(10, Ct); // waiting for load, not timing it
            beforeBackup = [.. sent.Where(c => c.Acknowledged)];
            var (code, output) = await RunAsync(data, "backup", "--to", backups);
            Assert.True(code == 0, output);
            var afterBackup = sent.Count;
            while (sent.Count < afterBackup + 4) await Task.Delay(10, Ct); // more load after the backup, then the crash
            host.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(capturing);
        }

        var folder = Assert.Single(Directory.GetDirectories(backups));
        // The key ring travels inside the database (schema 0010), counted in the manifest; no keys/ folder.
        var (manifest, problems) = Traceability.Standalone.Backup.DataBackup.Verify(folder);
        Assert.Empty(problems);
        Assert.True(manifest!.Counts["data_protection_keys"] > 0);
        Assert.Equal(["traceability.db"], manifest.Files.Select(f => f.Path));
        var (restoreCode, restoreOutput) = await RunAsync(restored, "restore", "--from", folder);
        Assert.True(restoreCode == 0, restoreOutput);
        Assert.Contains("Restored the backup", restoreOutput);

        using var after = await StandaloneProcess.StartAsync(restored, TraceabilityApp.AdminKey, settings);
        var reader = after.Client(producerKey);
        await ReliabilityTests.WaitForSyncAsync(after.Client(TraceabilityApp.AdminKey));

        // Every event acknowledged before the backup began is there exactly once; nothing half-stored.
        var stored = new List<string>();
        foreach (var lot in lots)
            foreach (var e in await Epcis.QueryAsync(reader, $"MATCH_epcClass=https://id.gs1.org/01/{gtin}/10/{lot}&perPage=1000"))
                stored.Add((string)e!["eventID"]!);
        var once = stored.ToHashSet();
        Assert.Equal(stored.Count, once.Count);
        Assert.All(beforeBackup, c => Assert.All(c.EventIds, id => Assert.Contains(id, once)));
        Assert.All(sent, c => Assert.True(c.EventIds.Count(once.Contains) is 0 || c.EventIds.All(once.Contains), "a capture is half-stored"));

        // The complainant's contact is readable (the key ring came along), the signed label still verifies.
        var reports = (await after.Client(TraceabilityApp.AdminKey).GetFromJsonAsync<JsonObject>("/api/v1/reports", Ct))!;
        var reportId = (string)reports["items"]!.AsArray().Single(r => (string?)r!["message"] == "Bao bì rách")!["id"]!;
        var report = (await after.Client(TraceabilityApp.AdminKey).GetFromJsonAsync<JsonObject>($"/api/v1/reports/{reportId}", Ct))!;
        Assert.Equal("0912 000 222", (string?)report["contact"]);
        var verdict = (await (await after.Client(null).PostAsJsonAsync("/api/v1/verify", new { code = serialLink }, Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        Assert.Equal("authentic", (string?)verdict["verdict"]);

        // The outbox resumed: the portal holds every restored event, none stored twice. Rows the
        // killed host had pushed after the backup are pending in it; the portal answers their second
        // push "already received" (409), which the worker takes as done.
        var received = portal.State.Received("event").Select(r => r.NaturalKey).ToList();
        Assert.Equal(received.Count, received.Distinct().Count());
        Assert.Subset(received.ToHashSet(), once);
        var stats = await portal.StatsAsync();
        Assert.Equal(0, stats.DuplicatesStored);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{beforeBackup.Count} captures before the backup, {sent.Count(c => c.Acknowledged)} acknowledged in all, {once.Count} events restored; portal: {stats}");
    }

    [Fact]
    public async Task A_damaged_backup_or_a_non_empty_target_is_refused_and_nothing_is_written()
    {
        var data = Path.Combine(root, "data");
        using (var host = await StandaloneProcess.StartAsync(data, TraceabilityApp.AdminKey))
        {
            Assert.Equal(0, (await RunAsync(data, "backup", "--to", Path.Combine(root, "backups"))).Code);
        }
        var folder = Assert.Single(Directory.GetDirectories(Path.Combine(root, "backups")));

        var (code, output) = await RunAsync(data, "restore", "--from", folder);
        Assert.Equal(1, code);
        Assert.Contains("is not empty", output);

        var database = Path.Combine(folder, "traceability.db");
        var bytes = await File.ReadAllBytesAsync(database, Ct);
        bytes[bytes.Length / 2] ^= 0x01; // one bit of one byte
        await File.WriteAllBytesAsync(database, bytes, Ct);
        var target = Path.Combine(root, "target");
        (code, output) = await RunAsync(target, "restore", "--from", folder);
        Assert.Equal(1, code);
        Assert.Contains("traceability.db: damaged", output);
        Assert.False(Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any());
        Assert.Empty(Directory.GetDirectories(root, "target.restoring-*"));
    }

    [Fact]
    public async Task On_mongodb_the_backup_carries_what_an_earlier_version_left_in_the_data_directory_and_points_to_mongodump()
    {
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(Path.Combine(data, "keys"));
        Directory.CreateDirectory(Path.Combine(data, "images"));
        await File.WriteAllTextAsync(Path.Combine(data, "keys", "key-1.xml"), "<key/>", Ct);
        await File.WriteAllBytesAsync(Path.Combine(data, "images", "08930000000019.png"), [1, 2, 3], Ct);

        var (code, output) = await RunAsync(data, ["backup", "--to", Path.Combine(root, "backups")], ("Storage__Provider", "Mongo"));
        Assert.Equal(0, code);
        Assert.Contains("mongodump", output);
        var folder = Assert.Single(Directory.GetDirectories(Path.Combine(root, "backups")));
        var (manifest, problems) = Traceability.Standalone.Backup.DataBackup.Verify(folder);
        Assert.Empty(problems);
        Assert.Equal(["images/08930000000019.png", "keys/key-1.xml"], manifest!.Files.Select(f => f.Path));
    }

    /// <summary>Runs the standalone host's command as the guide does: `dotnet Traceability.Standalone.dll backup …`.</summary>
    private static Task<(int Code, string Output)> RunAsync(string dataDirectory, params string[] args) => RunAsync(dataDirectory, args, []);

    private static async Task<(int Code, string Output)> RunAsync(string dataDirectory, string[] args, params (string Key, string Value)[] environment)
    {
        var dll = typeof(Traceability.Standalone.Demo.DemoExtensions).Assembly.Location;
        var info = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.Environment["Storage__DataDirectory"] = dataDirectory;
        info.Environment["Auth__AdminKey"] = TraceabilityApp.AdminKey;
        foreach (var (key, value) in environment) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await output + await error);
    }

    public void Dispose()
    {
        try { Directory.Delete(root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
