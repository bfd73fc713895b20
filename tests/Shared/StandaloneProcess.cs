using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Traceability.Testing;

/// <summary>
/// The standalone host run as a separate process on a free loopback port, as a user runs it
/// (<c>dotnet Traceability.Standalone.dll</c>): for tests that kill it, and for the benchmarks.
/// Linked into the projects that use it (tests/Shared).
/// </summary>
public sealed class StandaloneProcess : IDisposable
{
    private readonly Process _process;

    private StandaloneProcess(Process process, Uri baseAddress) => (_process, BaseAddress) = (process, baseAddress);

    public Uri BaseAddress { get; }

    /// <summary>Starts a host over <paramref name="dataDirectory"/> and returns once /health answers.</summary>
    /// <param name="settings">Configuration keys ("Sync:Enabled" or "Sync__Enabled") that override the defaults: no demo data, sync off.</param>
    /// <param name="errorLine">Receives the host's standard error, line by line; by default it is dropped.</param>
    /// <param name="outputLine">Receives the host's standard output (its console log), line by line.</param>
    /// <param name="fileLimit">Starts the host under <c>prlimit --nofile=N:N</c> (soft and hard file limit N).</param>
    /// <param name="extraUrl">A second listen address (e.g. https://127.0.0.1:N) beside the plain-HTTP one the harness talks to.</param>
    public static async Task<StandaloneProcess> StartAsync(string dataDirectory, string adminKey,
        IReadOnlyDictionary<string, string>? settings = null, Action<string>? errorLine = null,
        Action<string>? outputLine = null, int? fileLimit = null, string? extraUrl = null)
    {
        var port = FreePort();
        // Not typeof(Program): the benchmark program has a Program of its own.
        var dll = typeof(Traceability.Standalone.Demo.DemoExtensions).Assembly.Location;
        string[] command = ["dotnet", dll, "--urls", $"http://127.0.0.1:{port}" + (extraUrl is null ? "" : ";" + extraUrl)];
        if (fileLimit is { } files) command = ["/usr/bin/prlimit", $"--nofile={files}:{files}", .. command];
        var info = new ProcessStartInfo(command[0], command[1..])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Storage__DataDirectory"] = dataDirectory;
        info.Environment["Auth__AdminKey"] = adminKey;
        info.Environment["Demo__Seed"] = "false";
        info.Environment["Sync__Enabled"] = "false";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) outputLine?.Invoke(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) errorLine?.Invoke(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var host = new StandaloneProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(60);)
        {
            if (process.HasExited) throw new InvalidOperationException($"The host exited at start with code {process.ExitCode}.");
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode) return host;
            }
            catch (HttpRequestException) { }
            await Task.Delay(20); // short: the benchmark's start-up figure includes this wait
        }
        host.Dispose();
        throw new TimeoutException("The host did not become healthy within 60 s.");
    }

    /// <summary>A client with its own connection pool, sending <paramref name="key"/> as its bearer token.</summary>
    public HttpClient Client(string? key, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(60) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public bool HasExited => _process.HasExited;
    /// <summary>The host's process id (for /proc/{pid}/status: VmRSS, VmHWM).</summary>
    public int ProcessId => _process.Id;

    public long WorkingSetBytes()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    /// <summary>The most memory the host has held at once (Linux: VmHWM, the resident set's high-water mark).</summary>
    public long PeakWorkingSetBytes()
    {
        _process.Refresh();
        return _process.PeakWorkingSet64;
    }

    /// <summary>The CPU time (user + kernel) the host has used since it started.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>Kills the host (kill -9: no shutdown code runs) and waits until it is gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
