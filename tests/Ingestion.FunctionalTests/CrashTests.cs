using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Traceability.Ingestion.FunctionalTests;

/// <summary>Runs the real standalone host as a child process and kills it (SIGKILL) mid-capture.</summary>
public sealed class CrashTests : IDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "trace-crash-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Killing_the_host_during_captures_leaves_no_half_stored_capture()
    {
        const int documents = 24, eventsPerDocument = 400;
        using var host = StandaloneProcess.Start(dataDirectory);
        var admin = host.Client(TraceabilityApp.AdminKey);
        var producerBody = await (await admin.PostAsJsonAsync("/api/v1/producers", new
        {
            name = "HTX", taxCode = "5000999999", address = "x", province = "Tuyên Quang", companyPrefixes = new[] { "8939999" },
        })).Content.ReadFromJsonAsync<JsonObject>();
        var producer = host.Client((string)producerBody!["apiKey"]!);
        var gtin = "0" + "893999900001" + Traceability.Domain.Gs1.Gs1CheckDigit.Compute("0893999900001");
        Assert.Equal(HttpStatusCode.Created, (await producer.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = "Cam" } })).StatusCode);
        for (var d = 0; d < documents; d++)
            Assert.Equal(HttpStatusCode.Created, (await producer.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = $"K{d}" })).StatusCode);

        var acknowledged = new ConcurrentBag<int>();
        var captures = Enumerable.Range(0, documents).Select(async d =>
        {
            var document = Epcis.Document(Enumerable.Range(0, eventsPerDocument).Select(i => Epcis.ObjectEvent(gtin, $"K{d}", "shipping", i)));
            try
            {
                var response = await producer.PostAsync("/epcis/capture", new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json"));
                if (response.StatusCode == HttpStatusCode.Accepted) acknowledged.Add(d);
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
        }).ToList();
        while (acknowledged.Count < 3 && captures.Any(c => !c.IsCompleted)) await Task.Delay(5);
        host.Kill();
        await Task.WhenAll(captures);
        Assert.InRange(acknowledged.Count, 3, documents);

        using var restarted = StandaloneProcess.Start(dataDirectory);
        var reader = restarted.Client((string)producerBody["apiKey"]!);
        for (var d = 0; d < documents; d++)
        {
            var body = JsonNode.Parse(await reader.GetStringAsync($"/epcis/events?MATCH_epcClass=https://id.gs1.org/01/{gtin}/10/K{d}&perPage=1000"))!;
            var count = body["epcisBody"]!["queryResults"]!["resultsBody"]!["eventList"]!.AsArray().Count;
            if (acknowledged.Contains(d)) Assert.Equal(eventsPerDocument, count);
            else Assert.True(count is 0 or eventsPerDocument, $"document {d} is half-stored: {count} events");
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(dataDirectory, true); } catch (IOException) { }
    }
}

/// <summary>The standalone host's built assembly, run with `dotnet` on a free loopback port.</summary>
internal sealed class StandaloneProcess : IDisposable
{
    private readonly Process process;
    public Uri BaseAddress { get; }

    private StandaloneProcess(Process process, Uri baseAddress) => (this.process, BaseAddress) = (process, baseAddress);

    /// <param name="settings">Configuration keys ("Sync:Enabled") that override the defaults below.</param>
    public static StandaloneProcess Start(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var dll = typeof(Program).Assembly.Location;
        var info = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["Storage__DataDirectory"] = dataDirectory;
        info.Environment["Auth__AdminKey"] = TraceabilityApp.AdminKey;
        info.Environment["Demo__Seed"] = "false";
        info.Environment["Sync__Enabled"] = "false";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new StandaloneProcess(process, new Uri($"http://127.0.0.1:{port}"));
        host.WaitHealthy();
        return host;
    }

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public void Kill() => process.Kill(entireProcessTree: true);

    private void WaitHealthy()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited) throw new InvalidOperationException($"The host exited with code {process.ExitCode}.");
            try
            {
                if (client.GetAsync("/health").GetAwaiter().GetResult().IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            Thread.Sleep(100);
        }
        throw new TimeoutException("The host did not become healthy within 60 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }
}
