using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Traceability.Testing;

namespace Traceability.Verification.Tests;

/// <summary>
/// The standalone host over a fresh SQLite file, no demo data, a known admin key and a
/// FakeTimeProvider (now: 2026-11-20 03:00 UTC = 10:00 in Vietnam). Public base URL fixed so
/// signed links are stable: https://truyxuat.example.vn.
/// </summary>
public sealed class VerificationApp : StandaloneApp
{
    public const string BaseUrl = "https://truyxuat.example.vn";
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 3, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Now);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Lookup:PublicBaseUrl", BaseUrl);
        builder.UseSetting("Lookup:CacheSeconds", "60");
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Time));
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    public async Task<TestProducer> NewProducerAsync()
    {
        var producer = await RegisterProducerAsync(province: "Lai Châu", address: "Xã Tả Lèng");
        return new TestProducer(ClientWithKey(producer.ApiKey), producer.Id, producer.Prefix);
    }

    public async Task<string> NewInspectorKeyAsync() => (await RegisterInspectorAsync("Nguyễn Văn An", "QLTT Lai Châu")).ApiKey;
}

public sealed record TestProducer(HttpClient Client, string Id, string Prefix)
{
    private int nextItem;

    public string NewGtin14() => StandaloneApp.Gtin14(Prefix, Interlocked.Increment(ref nextItem));

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
