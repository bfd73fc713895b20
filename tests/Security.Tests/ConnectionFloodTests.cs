using System.Net.Sockets;

namespace Traceability.Security.Tests;

/// <summary>
/// Issue 16: ~19,800 idle TCP connections used up the host's 20,000 file descriptors; it stopped
/// accepting for good or aborted with "Out of memory." Here the host runs as a child process under
/// a file limit of 12,000, so 15,000 idle sockets go past it as those did past 20,000.
/// </summary>
public sealed class ConnectionFloodTests
{
    private const int FileLimit = 12_000;
    private const int IdleSockets = 15_000;
    private const string Lot = "/01/08936001000010/10/CS-2611A";
    private const string AdminKey = "flood-admin-key-0123456789-abcdefghij";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fifteen_thousand_idle_sockets_past_the_file_limit_leave_the_host_serving_and_it_recovers_when_they_close()
    {
        Assert.SkipUnless(File.Exists("/usr/bin/prlimit"), "needs util-linux's prlimit to give the host a file limit");
        Assert.SkipUnless(OperatingSystem.IsLinux() && OwnFileLimit() > IdleSockets + 2_000,
            $"this test process needs a file limit above {IdleSockets + 2_000} for its own sockets");
        var dataDirectory = Path.Combine(Path.GetTempPath(), "trace-flood-" + Guid.NewGuid().ToString("N"));
        var output = new ConcurrentQueue<string>();
        using var host = await StandaloneProcess.StartAsync(dataDirectory, AdminKey,
            new Dictionary<string, string> { ["Demo:Seed"] = "true", ["RateLimits:PublicPermitLimit"] = "0" },
            errorLine: output.Enqueue, outputLine: output.Enqueue, fileLimit: FileLimit);
        var peakRss = 0L;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested && !host.HasExited)
            {
                peakRss = Math.Max(peakRss, host.WorkingSetBytes());
                await Task.Delay(250, CancellationToken.None);
            }
        }, CancellationToken.None);
        var sockets = new List<Socket>(IdleSockets);
        try
        {
            var clock = Stopwatch.StartNew();
            var failed = await OpenIdleSocketsAsync(host.BaseAddress.Port, sockets);
            var opened = clock.Elapsed;

            // While every one of them is still open on this side, new clients are answered at once:
            // near its limit the host closes the longest-silent connection for each new one (before,
            // they waited 31.5 s, for the keep-alive timeout to close the idle ones).
            clock.Restart();
            await AssertServingAsync(host, TimeSpan.FromSeconds(5), "with 15,000 idle sockets open");
            var served = clock.Elapsed;
            for (var i = 0; i < 20; i++) await AssertServingAsync(host, TimeSpan.FromSeconds(5), $"to new client {i + 2} of 21 during the flood");
            var twentyMore = clock.Elapsed - served;
            Assert.False(host.HasExited, "the host exited during the flood");
            // The warning is written at most every 10 s.
            for (var wait = Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(15)
                 && !output.Any(l => l.Contains("idle connections closed", StringComparison.Ordinal)); await Task.Delay(250, Ct)) { }
            Assert.Contains(output, l => l.Contains("idle connections closed", StringComparison.Ordinal));

            foreach (var socket in sockets) socket.Dispose();
            sockets.Clear();
            await AssertServingAsync(host, TimeSpan.FromSeconds(20), "after the idle sockets closed");
            sampling.Cancel();
            await sampler;
            Report(
                $"{IdleSockets} sockets ({failed} connects failed) in {opened.TotalSeconds:0.0} s; a new client served " +
                $"{served.TotalSeconds:0.00} s after, 20 more in {twentyMore.TotalSeconds:0.00} s; host peak RSS {peakRss / (1024 * 1024)} MB (file limit {FileLimit})");
            Assert.True(peakRss < 1024L * 1024 * 1024, $"peak RSS {peakRss / (1024 * 1024)} MB");
        }
        finally
        {
            foreach (var socket in sockets) socket.Dispose();
            sampling.Cancel();
            foreach (var line in output.TakeLast(20)) Report("host: " + line);
            try { Directory.Delete(dataDirectory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// Opens the sockets 500 at a time, each from a source address of its own in 127.0.0.0/8 (all of
    /// it is loopback), so the ephemeral ports of one address never run out. Returns the connects that failed.
    /// </summary>
    private static async Task<int> OpenIdleSocketsAsync(int port, List<Socket> sockets)
    {
        var failed = 0;
        var target = new IPEndPoint(IPAddress.Loopback, port);
        for (var first = 0; first < IdleSockets; first += 500)
        {
            var batch = Enumerable.Range(first, Math.Min(500, IdleSockets - first)).Select(async i =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(new IPAddress([127, 1, (byte)(i / 250), (byte)(i % 250 + 1)]), 0));
                try
                {
                    await socket.ConnectAsync(target, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
                    return socket;
                }
                catch (Exception e) when (e is SocketException or TimeoutException)
                {
                    socket.Dispose();
                    Interlocked.Increment(ref failed);
                    return null;
                }
            });
            sockets.AddRange((await Task.WhenAll(batch)).OfType<Socket>());
        }
        return failed;
    }

    /// <summary>/alive and a demo lot's JSON, each on a new connection, answer within <paramref name="within"/>.</summary>
    private static async Task AssertServingAsync(StandaloneProcess host, TimeSpan within, string when)
    {
        string? last = null;
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < within; await Task.Delay(500, Ct))
        {
            Assert.False(host.HasExited, $"the host exited ({when})");
            // A handler per attempt: a fresh connection, as a new client's.
            using var client = new HttpClient(new SocketsHttpHandler()) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                var alive = await client.GetAsync("/alive", Ct);
                using var lookup = new HttpRequestMessage(HttpMethod.Get, Lot);
                lookup.Headers.Accept.ParseAdd("application/json");
                var lot = await client.SendAsync(lookup, Ct);
                var body = await lot.Content.ReadAsStringAsync(Ct);
                if (alive.StatusCode == HttpStatusCode.OK && lot.StatusCode == HttpStatusCode.OK && body.Contains("CS-2611A", StringComparison.Ordinal))
                    return;
                last = $"/alive {(int)alive.StatusCode}, lookup {(int)lot.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }
        }
        Assert.Fail($"The host did not answer {when} within {within.TotalSeconds} s; last: {last}");
    }

    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    private static long OwnFileLimit()
    {
        var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var soft = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
        return long.TryParse(soft, out var n) ? n : long.MaxValue;
    }
}
