using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Time.Testing;
using Traceability.ServiceDefaults.Auth;
using Traceability.Testing;

namespace Traceability.Verification.Tests;

/// <summary>
/// The standalone host over a fresh SQLite file, no demo data, a known admin key and a
/// FakeTimeProvider (now: 2026-11-20 03:00 UTC = 10:00 in Vietnam). Public base URL fixed so
/// signed links are stable: https://truyxuat.example.vn.
/// </summary>
public class VerificationApp : StandaloneApp
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

    /// <summary>Lot S1 of a product of a producer the authority has suspended: its GTIN-14 and lot.</summary>
    public async Task<(string Gtin, string Lot)> SuspendedLotAsync()
    {
        var accounts = Service<IAccountStore>();
        var catalog = Service<ICatalogStore>();
        var t = Time.GetUtcNow();
        var id = "susp-" + Guid.NewGuid().ToString("N")[..8];
        var prefix = "8939" + Random.Shared.Next(100, 999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (_, key) = ApiKeys.Issue(Role.Producer, t, id);
        await accounts.AddProducerAsync(new Producer(id, "Cơ sở bị đình chỉ", "62" + Random.Shared.NextInt64(10_000_000, 99_999_999), "Tam Đường", "Lai Châu",
            null, [prefix], t, Suspended: true), key);
        var gtin = Gtin14(prefix, 1);
        await catalog.AddProductAsync(new Product(gtin, id, new LocalizedText("Sâm giả"), null, null, null, null, [], null, t, t),
            new OutboxMessage(OutboxKind.Product, gtin, null, null, null));
        await catalog.AddLotAsync(new Lot(gtin, "S1", id, null, null, null, null, null, t),
            new OutboxMessage(OutboxKind.Lot, LotKey.Of(gtin, "S1"), OutboxKind.Product, gtin, null));
        return (gtin, "S1");
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
