using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Traceability.Benchmarks;

/// <summary>The standalone host run as a separate process on loopback, as a user would run it.</summary>
internal sealed class HostProcess : IDisposable
{
    public const string AdminKey = "bench-admin-key-0123456789";
    private readonly Process process;

    public Uri BaseAddress { get; }
    public string DataDirectory { get; }

    private HostProcess(Process process, Uri baseAddress, string dataDirectory) =>
        (this.process, BaseAddress, DataDirectory) = (process, baseAddress, dataDirectory);

    private string provider = "";
    private bool ownsData = true;

    /// <summary>
    /// A memory-backed directory (Linux /dev/shm) when there is one, else the temp directory. With
    /// synchronous=FULL every write waits for the disk, so registering 100,000 lots one commit each is
    /// disk-bound; scenarios that only read what they loaded put their data here to load fast.
    /// </summary>
    public static string MemoryBackedRoot { get; } = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    /// <summary>Starts a host on an empty store under <paramref name="dataRoot"/> (default: the temp directory, on disk).</summary>
    public static Task<HostProcess> StartAsync(string provider, IDictionary<string, string>? settings = null, string? dataRoot = null) =>
        LaunchAsync(provider, settings, Path.Combine(dataRoot ?? Path.GetTempPath(), "trace-bench-" + Guid.NewGuid().ToString("N")));

    /// <summary>
    /// Stops this host (kill: every capture was acknowledged after its commit) and starts a new one
    /// on the same data with other settings, e.g. loading with the sync worker off, then draining with it on.
    /// </summary>
    public async Task<HostProcess> RestartAsync(IDictionary<string, string> settings)
    {
        Stop();
        ownsData = false; // the new host deletes it
        return await LaunchAsync(provider, settings, DataDirectory);
    }

    private static async Task<HostProcess> LaunchAsync(string provider, IDictionary<string, string>? settings, string dataDirectory)
    {
        var port = FreePort();
        var dll = typeof(Traceability.Standalone.Demo.DemoExtensions).Assembly.Location;
        var info = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["Storage__DataDirectory"] = dataDirectory;
        info.Environment["Storage__Provider"] = provider;
        info.Environment["Auth__AdminKey"] = AdminKey;
        info.Environment["Demo__Seed"] = "false";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["RateLimits__PublicPermitLimit"] = "0"; // the load tool is one client IP
        info.Environment["Sync__Enabled"] = "false";
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("host: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new HostProcess(process, new Uri($"http://127.0.0.1:{port}"), dataDirectory) { provider = provider };
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(60);)
        {
            if (process.HasExited) throw new InvalidOperationException("The host exited at start.");
            try { if ((await client.GetAsync("/health")).IsSuccessStatusCode) return host; }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("The host did not start within 60 s.");
    }

    public HttpClient Client(string? key = AdminKey)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public long WorkingSetBytes()
    {
        process.Refresh();
        return process.WorkingSet64;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Stop()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public void Dispose()
    {
        Stop();
        process.Dispose();
        if (ownsData)
            try { Directory.Delete(DataDirectory, true); } catch (IOException) { }
    }
}
