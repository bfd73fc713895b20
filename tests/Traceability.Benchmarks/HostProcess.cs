using Traceability.Lookup.Api.Provenance;

namespace Traceability.Benchmarks;

/// <summary>
/// The standalone host run as a separate process on loopback, as a user would run it, with the
/// benchmarks' settings: quiet logs, no public rate limit (the load tool is one client IP).
/// </summary>
internal sealed class HostProcess : IDisposable
{
    public const string AdminKey = "bench-admin-key-0123456789-abcdefghij";
    private readonly StandaloneProcess process;
    private readonly string provider;
    private bool ownsData = true;

    private HostProcess(StandaloneProcess process, string provider, string dataDirectory) =>
        (this.process, this.provider, DataDirectory) = (process, provider, dataDirectory);

    public Uri BaseAddress => process.BaseAddress;
    public string DataDirectory { get; }

    /// <summary>
    /// A memory-backed directory (Linux /dev/shm) when there is one, else the temp directory. With
    /// synchronous=FULL every write waits for the disk, so registering 100,000 lots one commit each is
    /// disk-bound; scenarios that only read what they loaded put their data here to load fast.
    /// </summary>
    public static string MemoryBackedRoot { get; } = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    /// <summary>Starts a host on an empty store under <paramref name="dataRoot"/> (default: the temp directory, on disk).</summary>
    public static Task<HostProcess> StartAsync(string provider, IReadOnlyDictionary<string, string>? settings = null, string? dataRoot = null) =>
        LaunchAsync(provider, settings, Path.Combine(dataRoot ?? Path.GetTempPath(), "trace-bench-" + Guid.NewGuid().ToString("N")));

    /// <summary>
    /// Stops this host (kill: every capture was acknowledged after its commit) and starts a new one
    /// on the same data with other settings, e.g. loading with the sync worker off, then draining with it on.
    /// </summary>
    public async Task<HostProcess> RestartAsync(IReadOnlyDictionary<string, string> settings)
    {
        process.Kill();
        ownsData = false; // the new host deletes it
        return await LaunchAsync(provider, settings, DataDirectory);
    }

    /// <summary>
    /// Stops this host and starts a new one on a copy of its data (Sqlite only: the data is the
    /// directory), so that two runs start from one load; the new host deletes its copy.
    /// </summary>
    public Task<HostProcess> StartOnCopyAsync(IReadOnlyDictionary<string, string> settings)
    {
        if (provider != "Sqlite") throw new NotSupportedException("Copying a store is done for Sqlite only (its data is one directory).");
        process.Kill();
        var copy = DataDirectory + "-copy-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var file in Directory.EnumerateFiles(DataDirectory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(DataDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return LaunchAsync(provider, settings, copy);
    }

    private static async Task<HostProcess> LaunchAsync(string provider, IReadOnlyDictionary<string, string>? settings, string dataDirectory)
    {
        var all = new Dictionary<string, string>
        {
            ["Storage:Provider"] = provider,
            ["Logging:LogLevel:Default"] = "Warning",
            ["RateLimits:PublicPermitLimit"] = "0",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) all[k.Replace("__", ":", StringComparison.Ordinal)] = v;
        var process = await StandaloneProcess.StartAsync(dataDirectory, AdminKey, all, line => Console.Error.WriteLine("host: " + line));
        return new HostProcess(process, provider, dataDirectory);
    }

    public HttpClient Client(string? key = AdminKey) => process.Client(key, TimeSpan.FromMinutes(5));

    public int ProcessId => process.ProcessId;

    public long WorkingSetBytes() => process.WorkingSetBytes();

    public long PeakWorkingSetBytes() => process.PeakWorkingSetBytes();

    /// <summary>
    /// Waits until the lookup projector (issue 22 point 1) has stored a projection of every one of
    /// <paramref name="lots"/> lots, as it would have long before in a store filled over weeks. After
    /// a bulk load it builds at most <see cref="LookupProjector.BuildsPerSecond"/> lots a second for a
    /// minute or more, and a sync drain started meanwhile counted that catch-up as the worker's CPU
    /// (in a `perf` profile of a quick drain, about as many of the host's samples as the worker's
    /// pushes; see the README). Sqlite only (the count is read from the file, read-only);
    /// with Mongo it returns at once and the drain overlaps the catch-up.
    /// </summary>
    public async Task WaitForLookupViewsAsync(int lots, TimeSpan timeout)
    {
        if (provider != "Sqlite") return;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(DataDirectory, Traceability.Storage.Sqlite.SqliteDatabase.DatabaseFileName),
            Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM lookup_views WHERE lot IS NOT NULL AND version = $version";
        count.Parameters.AddWithValue("$version", ProvenanceView.ProjectionVersion);
        long built;
        while ((built = (long)count.ExecuteScalar()!) < lots)
        {
            if (clock.Elapsed > timeout)
            {
                Console.WriteLine($"   the lookup projector has built {built:N0} of {lots:N0} lots after {timeout.TotalSeconds:N0} s; going on");
                return;
            }
            await Task.Delay(500);
        }
        Console.WriteLine($"   the lookup projector has every lot ({built:N0}) after {clock.Elapsed.TotalSeconds:N0} s more");
    }

    public TimeSpan CpuTime() => process.CpuTime();

    public void Dispose()
    {
        process.Dispose();
        if (ownsData)
            try { Directory.Delete(DataDirectory, true); } catch (IOException) { }
    }
}
