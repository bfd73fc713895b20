using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Traceability.Domain.Gs1;

namespace Traceability.Ingestion.FunctionalTests;

/// <summary>
/// The standalone host over a fresh store, without demo data, with a known admin key. The store is
/// SQLite, or MongoDB (a fresh database) when TRACE_MONGO_URL is set, so every functional test runs
/// unchanged on either provider. <see cref="Settings"/> override any of these (e.g. to switch sync on).
/// </summary>
public sealed class TraceabilityApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "trace-tests-" + Guid.NewGuid().ToString("N"));
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("Auth:AdminKey", AdminKey);
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("Sync:Enabled", "false");
        if (Environment.GetEnvironmentVariable("TRACE_MONGO_URL") is { Length: > 0 } mongo)
        {
            builder.UseSetting("Storage:Provider", "Mongo");
            builder.UseSetting("Storage:Mongo:ConnectionString", mongo);
            builder.UseSetting("Storage:Mongo:Database", "trace-tests-" + Guid.NewGuid().ToString("N")[..12]);
        }
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient Admin() => ClientWithKey(AdminKey);

    private static int prefixCounter;

    /// <summary>Registers a producer with a fresh company prefix; returns its client and prefix.</summary>
    public async Task<TestProducer> NewProducerAsync()
    {
        var prefix = "893" + (7000 + Interlocked.Increment(ref prefixCounter)).ToString();
        var taxCode = Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString();
        var response = await Admin().PostAsJsonAsync("/api/v1/producers", new
        {
            name = "HTX thử nghiệm " + prefix, taxCode, address = "Xã Phù Lưu", province = "Tuyên Quang",
            companyPrefixes = new[] { prefix },
        });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return new TestProducer(this, ClientWithKey((string)body["apiKey"]!), (string)body["id"]!, prefix);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(DataDirectory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public sealed record TestProducer(TraceabilityApp App, HttpClient Client, string Id, string Prefix)
{
    private int nextItem;

    /// <summary>A valid GTIN-13 under this producer's prefix.</summary>
    public string NewGtin()
    {
        var first12 = (Prefix + Interlocked.Increment(ref nextItem).ToString().PadLeft(12 - Prefix.Length, '0'));
        return first12 + Gs1CheckDigit.Compute(first12);
    }

    public async Task<string> RegisterProductAsync(string? gtin = null)
    {
        gtin ??= NewGtin();
        var response = await Client.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = "Cam sành", en = "King orange" } });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return gtin.PadLeft(14, '0');
    }

    public async Task RegisterLotAsync(string gtin14, string lot)
    {
        var response = await Client.PostAsJsonAsync("/api/v1/lots", new { gtin = gtin14, lot });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }
}
