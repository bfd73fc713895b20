using System.Diagnostics;

namespace Traceability.ProducerConsole.Tests;

/// <summary>
/// The real host (a child process) over a data directory on its own 16 MB tmpfs, which the test
/// fills to the last byte: a real ENOSPC, so SQLite itself answers SQLITE_FULL (this needs root to
/// mount; without it the test is skipped, never faked). Every kind of write must then answer 507
/// (problem+json for the API, a Vietnamese page for console forms), <c>/health</c> must say
/// Degraded, and after the filler is deleted writes must succeed again — and everything that was
/// acknowledged must still be there after the host is killed and restarted.
/// </summary>
public sealed class DiskFullTests : IDisposable
{
    private const int EventsPerCapture = 200;
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "trace-full-" + Guid.NewGuid().ToString("N"));
    private bool mounted;

    [Fact]
    public async Task A_full_disk_gives_507_and_a_degraded_health_and_writes_resume_once_space_is_free_with_nothing_acknowledged_lost()
    {
        Directory.CreateDirectory(dataDirectory);
        mounted = Run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", dataDirectory);
        Assert.SkipUnless(mounted, "mounting a tmpfs for the data directory needs root (mount -t tmpfs); it was refused here");
        var settings = new Dictionary<string, string> { ["Storage:MinFreeMegabytes"] = "1" };
        var host = await StandaloneProcess.StartAsync(dataDirectory, StandaloneApp.AdminKey, settings);
        try
        {
            Assert.Equal("Healthy", await host.Client(null).GetStringAsync("/health"));
            var (api, key, prefix) = await ProducerAsync(host);
            var gtin = StandaloneApp.Gtin14(prefix, 1);
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = "Cam" } })).StatusCode);
            for (var d = 0; d < 40; d++)
                Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = $"K{d}" })).StatusCode);
            var browser = await SignInAsync(host, key);
            var acknowledged = new List<int>();
            var lot = 0;
            Assert.Equal(HttpStatusCode.Accepted, (await CaptureAsync(api, gtin, lot)).StatusCode);
            acknowledged.Add(lot++);

            var filler = Fill();

            // The WAL may still hold room a few small writes fit into: each kind is tried until it hits the full disk.
            HttpResponseMessage full = null!;
            for (var tries = 0; tries < 20; tries++, lot++)
            {
                full = await CaptureAsync(api, gtin, lot);
                if (full.StatusCode != HttpStatusCode.Accepted) break;
                acknowledged.Add(lot);
            }
            await AssertInsufficientStorageAsync(full);

            var products = new List<string>();
            for (var item = 2; item < 2000; item++)
            {
                full = await api.PostAsJsonAsync("/api/v1/products", new { gtin = StandaloneApp.Gtin14(prefix, item), name = new { vi = "Bưởi" } });
                if (full.StatusCode != HttpStatusCode.Created) break;
                products.Add(StandaloneApp.Gtin14(prefix, item));
            }
            await AssertInsufficientStorageAsync(full);

            for (var i = 0; i < 2000; i++)
            {
                full = await browser.SubmitAsync("/console/lots/new", "/console/lots/new", new() { ["gtin"] = gtin, ["lot"] = $"FORM-{i}" });
                if (full.StatusCode != HttpStatusCode.Redirect) break;
            }
            Assert.Equal(HttpStatusCode.InsufficientStorage, full.StatusCode);
            Assert.Equal("text/html", full.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Bộ nhớ máy chủ đã đầy", WebUtility.HtmlDecode(await full.Content.ReadAsStringAsync()));

            Assert.Equal("Degraded", await host.Client(null).GetStringAsync("/health"));

            File.Delete(filler);
            var healthy = Stopwatch.StartNew();
            while (await host.Client(null).GetStringAsync("/health") != "Healthy")
            {
                Assert.True(healthy.Elapsed < TimeSpan.FromSeconds(15), "/health did not recover after space was freed");
                await Task.Delay(200);
            }
            Assert.Equal(HttpStatusCode.Accepted, (await CaptureAsync(api, gtin, ++lot)).StatusCode);
            acknowledged.Add(lot);
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/products", new { gtin = StandaloneApp.Gtin14(prefix, 9999), name = new { vi = "Na" } })).StatusCode);
            products.Add(StandaloneApp.Gtin14(prefix, 9999));

            host.Kill();
            host.Dispose();
            host = await StandaloneProcess.StartAsync(dataDirectory, StandaloneApp.AdminKey, settings);
            var reader = host.Client(key);
            foreach (var d in acknowledged)
                Assert.Equal(EventsPerCapture, (await Epcis.QueryAllAsync(reader, $"MATCH_epcClass={Epcis.ClassUri(gtin, $"K{d}")}&perPage=1000")).Count);
            foreach (var product in products)
                Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/v1/products/{product}")).StatusCode);
        }
        finally
        {
            host.Dispose();
        }
    }

    private static async Task AssertInsufficientStorageAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.InsufficientStorage, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(507, (int)problem["status"]!);
        Assert.Contains("storage is full", (string)problem["detail"]!);
        Assert.DoesNotContain("SQLite", problem.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Writes a file into the data directory until the disk refuses (ENOSPC), and returns its path.</summary>
    private string Fill()
    {
        var path = Path.Combine(dataDirectory, "filler.bin");
        var chunk = new byte[64 * 1024];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        IOException? error = null;
        try
        {
            for (var written = 0L; written < 64L * 1024 * 1024; written += chunk.Length) file.Write(chunk);
        }
        catch (IOException e)
        {
            error = e;
        }
        Assert.NotNull(error);
        Assert.True(error.IsDiskFull(), $"the filler stopped for another reason: {error.Message} ({error.HResult})");
        // The last partial chunk: fill the remaining bytes too, down to 0 free.
        for (var size = chunk.Length / 2; size > 0; size /= 2)
        {
            try { file.Write(chunk, 0, size); } catch (IOException) { }
        }
        return path;
    }

    private static Task<HttpResponseMessage> CaptureAsync(HttpClient api, string gtin, int lot)
    {
        var events = new JsonArray([.. Enumerable.Range(0, EventsPerCapture).Select(i => (JsonNode)new JsonObject
        {
            ["type"] = "ObjectEvent",
            ["eventTime"] = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.FromHours(7)).AddSeconds(i).ToString("yyyy-MM-ddTHH:mm:sszzz"),
            ["eventTimeZoneOffset"] = "+07:00", ["action"] = "OBSERVE", ["bizStep"] = "shipping", ["disposition"] = "in_transit",
            ["quantityList"] = new JsonArray(new JsonObject { ["epcClass"] = Epcis.ClassUri(gtin, $"K{lot}"), ["quantity"] = i + 1, ["uom"] = "KGM" }),
        })]);
        var document = new JsonObject
        {
            ["@context"] = new JsonArray("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"),
            ["type"] = "EPCISDocument", ["schemaVersion"] = "2.0", ["creationDate"] = "2026-11-01T00:00:00Z",
            ["epcisBody"] = new JsonObject { ["eventList"] = events },
        };
        return api.PostAsync("/epcis/capture", new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json"));
    }

    private static async Task<(HttpClient Api, string Key, string Prefix)> ProducerAsync(StandaloneProcess host)
    {
        const string prefix = "8937777";
        var created = await host.Client(StandaloneApp.AdminKey).PostAsJsonAsync("/api/v1/producers", new
        {
            name = "HTX đầy đĩa", taxCode = "5000777777", address = "x", province = "Tuyên Quang", companyPrefixes = new[] { prefix },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["apiKey"]!;
        return (host.Client(key), key, prefix);
    }

    private static async Task<Browser> SignInAsync(StandaloneProcess host, string key)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        var browser = new Browser(new HttpClient(handler) { BaseAddress = host.BaseAddress });
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync("/console/signin", "/console/signin", new() { ["key"] = key })).StatusCode);
        return browser;
    }

    private static bool Run(string command, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (mounted) Run("umount", "-l", dataDirectory);
        try { Directory.Delete(dataDirectory, true); } catch (IOException) { }
    }
}
