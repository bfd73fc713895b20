namespace Traceability.Security.Tests;

/// <summary>
/// Issue 16: the database and key files were world-readable (0644). The host, run as a user runs it
/// (a child process, so its umask is its own), keeps the data directory 0700 and every file 0600.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataDirectoryModeTests : IDisposable
{
    private const UnixFileMode GroupOrOther = (UnixFileMode)0b000_111_111;
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "trace-modes-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Every_file_the_host_writes_is_0600_and_every_directory_0700_also_those_an_older_version_left_open()
    {
        // A directory as an older version left it: 0755, a 0644 database-side file and images folder.
        Directory.CreateDirectory(dataDirectory, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(dataDirectory, (UnixFileMode)0b111_101_101);
        var old = Path.Combine(dataDirectory, "images", "08936001000010.png");
        Directory.CreateDirectory(Path.GetDirectoryName(old)!);
        File.SetUnixFileMode(Path.GetDirectoryName(old)!, (UnixFileMode)0b111_101_101);
        await File.WriteAllBytesAsync(old, [0x89, 0x50]);
        File.SetUnixFileMode(old, (UnixFileMode)0b110_100_100);

        // No admin key configured: the host generates one and writes admin-key.txt; the demo writes demo-keys.txt.
        using (var host = await StandaloneProcess.StartAsync(dataDirectory, "", new Dictionary<string, string> { ["Demo:Seed"] = "true" }))
        {
            var admin = host.Client((await File.ReadAllTextAsync(Path.Combine(dataDirectory, "admin-key.txt"))).Trim());
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/sync/status")).StatusCode);
        }

        var files = Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories).ToList();
        var directories = Directory.EnumerateDirectories(dataDirectory, "*", SearchOption.AllDirectories).Append(dataDirectory).ToList();
        foreach (var expected in new[] { "traceability.db", "traceability.db-wal", "admin-key.txt", "demo-keys.txt" })
            Assert.Contains(files, f => Path.GetFileName(f) == expected);
        // The key ring is in the database now (issue 17): no keys/ folder beside it.
        Assert.DoesNotContain(files, f => Path.GetFileName(Path.GetDirectoryName(f)) == "keys");
        var open = files.Where(f => (File.GetUnixFileMode(f) & GroupOrOther) != 0)
            .Concat(directories.Where(d => (File.GetUnixFileMode(d) & GroupOrOther) != 0))
            .Select(p => $"{Path.GetRelativePath(dataDirectory, p)} {File.GetUnixFileMode(p)}").ToList();
        Assert.True(open.Count == 0, "open to group or others:\n" + string.Join("\n", open));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dataDirectory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDirectory, "traceability.db")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(old));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", files.Select(f => $"{Path.GetRelativePath(dataDirectory, f)} {File.GetUnixFileMode(f)}")));
    }

    public void Dispose()
    {
        try { Directory.Delete(dataDirectory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
