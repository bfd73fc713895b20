using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Traceability.Ingestion.FunctionalTests;

/// <summary>
/// Issue 17's "done when" for stateless hosts: two standalone hosts over ONE store (the same SQLite
/// file; or one MongoDB database when TRACE_MONGO_URL is set). A recall issued through host A shows on
/// host B's page, JSON and verify within a second (the change feed), a label A signed verifies on B and
/// one B signs with A's key (the shared Data Protection key ring), and an image uploaded to A is served by B.
/// </summary>
public sealed partial class StatelessHostsTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(1);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_hosts_over_one_sqlite_file_agree_within_a_second() =>
        await TwoHostsAgreeAsync(new Dictionary<string, string> { ["Storage:Provider"] = "Sqlite" });

    [Fact]
    public async Task Two_hosts_over_one_mongodb_database_agree_within_a_second()
    {
        if (Environment.GetEnvironmentVariable("TRACE_MONGO_URL") is not { Length: > 0 } url)
        {
            Assert.Skip("MongoDB two-host test skipped: TRACE_MONGO_URL is not set");
            return;
        }
        await TwoHostsAgreeAsync(new Dictionary<string, string>
        {
            ["Storage:Provider"] = "Mongo", ["Storage:Mongo:ConnectionString"] = url,
            ["Storage:Mongo:Database"] = "trace-two-hosts-" + Guid.NewGuid().ToString("N")[..12],
        });
    }

    private static async Task TwoHostsAgreeAsync(Dictionary<string, string> store)
    {
        await using var a = new Host(null, store);
        // B: same store, no worker, no demo data (StandaloneApp's defaults), a directory of its own only on MongoDB.
        await using var b = new Host(store["Storage:Provider"] == "Sqlite" ? a.DataDirectory : null, store);
        var (_, key, prefix) = await a.RegisterProducerAsync();
        var producer = a.ClientWithKey(key);
        var gtin = StandaloneApp.Gtin14(prefix, 1);
        Assert.Equal(HttpStatusCode.Created, (await producer.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = "Cam sành" } }, Ct)).StatusCode);
        foreach (var lot in new[] { "R1", "S1" })
            Assert.Equal(HttpStatusCode.Created, (await producer.PostAsJsonAsync("/api/v1/lots", new { gtin, lot }, Ct)).StatusCode);

        // B looks the lot up first, so its cache holds the answer the recall must evict, and the stored
        // lookup read model a row the recall must delete (issue 22); A has looked it up too.
        var reader = b.CreateClient();
        Assert.Equal("active", await StatusAsync(reader, gtin, "R1"));
        Assert.DoesNotContain("banner red", await PageAsync(reader, gtin, "R1"));
        Assert.NotEqual("recalled", await VerdictAsync(reader, $"(01){gtin}(10)R1"));
        Assert.Equal("active", await StatusAsync(a.CreateClient(), gtin, "R1"));
        var views = b.Services.GetRequiredService<ILookupViewStore>();
        await WithinAsync(async () => await views.GetLookupViewAsync(LotKey.Of(gtin, "R1"), Ct) is { } row && row.Json.Contains("\"active\"", StringComparison.Ordinal),
            stored => stored);

        var recall = await producer.PostAsJsonAsync("/api/v1/recalls", new { gtin, lots = new[] { "R1" }, reason = "Phát hiện nấm mốc", severity = "high" }, Ct);
        Assert.Equal(HttpStatusCode.Created, recall.StatusCode);
        // The host that took the recall answers it on the very next lookup.
        Assert.Equal("recalled", await StatusAsync(a.CreateClient(), gtin, "R1"));
        var clock = Stopwatch.StartNew();
        var json = await WithinAsync(() => StatusAsync(reader, gtin, "R1"), s => s == "recalled");
        var page = await WithinAsync(() => PageAsync(reader, gtin, "R1"), html => html.Contains("banner red", StringComparison.Ordinal));
        var verify = await WithinAsync(() => VerdictAsync(reader, $"(01){gtin}(10)R1"), v => v == "recalled");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"B showed the recall after: JSON {json.TotalMilliseconds:F0} ms, page {page.TotalMilliseconds:F0} ms, verify {verify.TotalMilliseconds:F0} ms (all within {clock.ElapsedMilliseconds} ms)");

        // A label signed on A verifies on B; B signs with the key A made (its private half unprotected
        // through the shared key ring) and A verifies that one.
        var signedByA = await SerialAsync(producer, gtin, "S1");
        Assert.Equal("authentic", await VerdictAsync(reader, signedByA));
        var signedByB = await SerialAsync(b.ClientWithKey(key), gtin, "S1");
        Assert.Equal("authentic", await VerdictAsync(a.CreateClient(), signedByB));

        // An image uploaded through A's console is served by B, with validators.
        byte[] png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        await UploadImageAsync(a, key, gtin, png);
        var served = await reader.GetAsync($"/images/{gtin}.png", Ct);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(png, await served.Content.ReadAsByteArrayAsync(Ct));
        Assert.NotNull(served.Headers.ETag);
        Assert.NotNull(served.Content.Headers.LastModified);
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/images/{gtin}.png");
        again.Headers.IfNoneMatch.Add(served.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, (await reader.SendAsync(again, Ct)).StatusCode);
    }

    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/> holds; fails past <see cref="Within"/>. Returns how long it took.</summary>
    private static async Task<TimeSpan> WithinAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var clock = Stopwatch.StartNew();
        T last;
        do
        {
            last = await read();
            if (done(last)) return clock.Elapsed;
            await Task.Delay(20, Ct);
        }
        while (clock.Elapsed < Within);
        Assert.Fail($"Still {last} after {clock.ElapsedMilliseconds} ms");
        return clock.Elapsed;
    }

    private static async Task<string?> StatusAsync(HttpClient client, string gtin, string lot)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/01/{gtin}/10/{lot}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = await client.SendAsync(request, Ct);
        Assert.True(response.Headers.CacheControl?.MaxAge <= TimeSpan.FromSeconds(30), "public answers are cached briefly");
        Assert.NotNull(response.Headers.ETag);
        return (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["status"];
    }

    private static async Task<string> PageAsync(HttpClient client, string gtin, string lot)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/01/{gtin}/10/{lot}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        return await (await client.SendAsync(request, Ct)).Content.ReadAsStringAsync(Ct);
    }

    private static async Task<string?> VerdictAsync(HttpClient client, string code)
    {
        var response = await client.PostAsJsonAsync("/api/v1/verify", new { code }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["verdict"];
    }

    private static async Task<string> SerialAsync(HttpClient producer, string gtin, string lot)
    {
        var response = await producer.PostAsJsonAsync($"/api/v1/lots/{gtin}/{lot}/serials", new { count = 1 }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["links"]![0]!;
    }

    /// <summary>As a producer does: sign in to the console, then the product's edit form with a file.</summary>
    private static async Task UploadImageAsync(Host host, string key, string gtin, byte[] png)
    {
        var browser = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var signIn = await browser.PostAsync("/console/signin", new FormUrlEncodedContent(
            [new("key", key), new("__csrf", TokenOf(await browser.GetStringAsync("/console/signin", Ct)))]), Ct);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var edit = $"/console/products/{gtin}/edit";
        var token = TokenOf(await browser.GetStringAsync(edit, Ct));
        var file = new ByteArrayContent(png);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__csrf" }, { new StringContent(gtin), "gtin" },
            { new StringContent("Cam sành"), "name.vi" }, { new StringContent("hộp"), "unit" }, { file, "image", "cam.png" },
        };
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync(edit, form, Ct)).StatusCode);
    }

    private static string TokenOf(string html) =>
        WebUtility.HtmlDecode(Token().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no anti-forgery token"));

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    /// <summary>A standalone host in this process over <paramref name="dataDirectory"/> (null: a fresh one it deletes).</summary>
    private sealed class Host : StandaloneApp
    {
        public Host(string? dataDirectory, IReadOnlyDictionary<string, string> settings) : base(dataDirectory) => Settings = settings;
    }
}
