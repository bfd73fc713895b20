using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Traceability.Domain.Gs1;

namespace Traceability.Verification.Tests;

/// <summary>
/// The standalone host over a fresh SQLite file, no demo data, a known admin key and a
/// FakeTimeProvider (now: 2026-11-20 03:00 UTC = 10:00 in Vietnam). Public base URL fixed so
/// signed links are stable: https://truyxuat.example.vn.
/// </summary>
public sealed class VerificationApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-verification-0123456789";
    public const string BaseUrl = "https://truyxuat.example.vn";
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 3, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Now);
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "verify-tests-" + Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("Auth:AdminKey", AdminKey);
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("Sync:Enabled", "false");
        builder.UseSetting("Lookup:PublicBaseUrl", BaseUrl);
        builder.UseSetting("Lookup:CacheSeconds", "60");
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Time));
    }

    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient Admin() => ClientWithKey(AdminKey);

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    private static int prefixCounter;

    public async Task<TestProducer> NewProducerAsync()
    {
        var prefix = "893" + (8000 + Interlocked.Increment(ref prefixCounter)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var response = await Admin().PostAsJsonAsync("/api/v1/producers", new
        {
            name = "HTX thử nghiệm " + prefix, taxCode = Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture),
            address = "Xã Tả Lèng", province = "Lai Châu", companyPrefixes = new[] { prefix },
        });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return new TestProducer(ClientWithKey((string)body["apiKey"]!), (string)body["id"]!, prefix);
    }

    public async Task<string> NewInspectorKeyAsync()
    {
        var response = await Admin().PostAsJsonAsync("/api/v1/inspectors", new { name = "Nguyễn Văn An", agency = "QLTT Lai Châu" });
        response.EnsureSuccessStatusCode();
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["apiKey"]!;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(DataDirectory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public sealed record TestProducer(HttpClient Client, string Id, string Prefix)
{
    private int nextItem;

    public string NewGtin14()
    {
        var first12 = Prefix + Interlocked.Increment(ref nextItem).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(12 - Prefix.Length, '0');
        return "0" + first12 + Gs1CheckDigit.Compute(first12);
    }

    public async Task<string> ProductAsync()
    {
        var gtin = NewGtin14();
        var response = await Client.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = "Sâm Lai Châu", en = "Lai Chau ginseng" } });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return gtin;
    }

    public async Task LotAsync(string gtin14, string lot, DateOnly? expiryDate = null)
    {
        var response = await Client.PostAsJsonAsync("/api/v1/lots", new { gtin = gtin14, lot, expiryDate });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    public async Task<IReadOnlyList<string>> SerialsAsync(string gtin14, string lot, int count)
    {
        var response = await Client.PostAsJsonAsync($"/api/v1/lots/{gtin14}/{lot}/serials", new { count });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return body["links"]!.AsArray().Select(l => (string)l!).ToList();
    }

    public Task<HttpResponseMessage> RecallAsync(string gtin14, string[] lots, string severity = "high", string reason = "Nhiễm nấm mốc") =>
        Client.PostAsJsonAsync("/api/v1/recalls", new { gtin = gtin14, lots, reason, severity });
}

public static class Api
{
    public static async Task<JsonObject> VerifyAsync(this HttpClient client, string code, string? province = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/verify", new { code, province });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static string Verdict(this JsonObject result) => (string)result["verdict"]!;

    public static IReadOnlyList<string> ReasonCodes(this JsonObject result) =>
        result["reasons"]!.AsArray().Select(r => (string)r!["code"]!).ToList();
}
