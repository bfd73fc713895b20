using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Traceability.Domain.Gs1;

namespace Traceability.Testing;

/// <summary>
/// The standalone host in memory over a fresh data directory: no demo data, sync off, a known admin
/// key. Each test project derives its fixture from it; <see cref="Settings"/> override any setting.
/// Linked into the test projects that host the app (tests/Shared).
/// </summary>
public class StandaloneApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789-abcdefghij";

    /// <summary>Company prefixes handed out in this test process, so producers never share one.</summary>
    private static int prefixCounter;

    private readonly bool _ownsDirectory;

    public StandaloneApp() : this(null) { }

    /// <summary>A host over <paramref name="dataDirectory"/> (a restart), which it leaves in place; null: a fresh one it deletes.</summary>
    protected StandaloneApp(string? dataDirectory)
    {
        _ownsDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "trace-tests-" + Guid.NewGuid().ToString("N"));
    }

    public string DataDirectory { get; }

    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("Auth:AdminKey", AdminKey);
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("Sync:Enabled", "false");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    /// <summary>A client sending <paramref name="key"/> as its bearer token (none when null).</summary>
    public virtual HttpClient ClientWithKey(string? key) => WithBearer(CreateClient(), key);

    protected static HttpClient WithBearer(HttpClient client, string? key)
    {
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient Admin() => ClientWithKey(AdminKey);

    /// <summary>Registers a producer with a fresh company prefix and a random tax code through the admin API.</summary>
    public async Task<ProducerAccount> RegisterProducerAsync(string? name = null, string province = "Tuyên Quang", string address = "Xã Phù Lưu")
    {
        var prefix = "893" + (6000 + Interlocked.Increment(ref prefixCounter)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var taxCode = Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var response = await Admin().PostAsJsonAsync("/api/v1/producers", new
        {
            name = name ?? "HTX thử nghiệm " + prefix, taxCode, address, province, companyPrefixes = new[] { prefix },
        });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return new ProducerAccount((string)body["id"]!, (string)body["apiKey"]!, prefix, taxCode);
    }

    public async Task<InspectorAccount> RegisterInspectorAsync(string name = "Nguyễn Thị Thanh", string agency = "QLTT Tuyên Quang")
    {
        var response = await Admin().PostAsJsonAsync("/api/v1/inspectors", new { name, agency });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return new InspectorAccount((string)body["id"]!, (string)body["apiKey"]!);
    }

    /// <summary>Creates a named staff account (role admin | officer | viewer) through the admin API; its key is shown once.</summary>
    public async Task<StaffAccountKey> CreateStaffAsync(string role, string name = "Lê Văn Cán Bộ", string unit = "Sở KH&CN Tuyên Quang")
    {
        var response = await Admin().PostAsJsonAsync("/api/v1/staff", new { name, unit, role });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return new StaffAccountKey((string)body["staff"]!["id"]!, (string)body["apiKey"]!, name);
    }

    /// <summary>The GTIN-13 of item <paramref name="item"/> under <paramref name="prefix"/>, check digit included.</summary>
    public static string Gtin13(string prefix, int item)
    {
        var first12 = prefix + item.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(12 - prefix.Length, '0');
        return first12 + Gs1CheckDigit.Compute(first12);
    }

    public static string Gtin14(string prefix, int item) => "0" + Gtin13(prefix, item);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!_ownsDirectory) return;
        try { Directory.Delete(DataDirectory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public sealed record ProducerAccount(string Id, string ApiKey, string Prefix, string TaxCode)
{
    public void Deconstruct(out string id, out string apiKey, out string prefix) => (id, apiKey, prefix) = (Id, ApiKey, Prefix);
}

public sealed record InspectorAccount(string Id, string ApiKey);

public sealed record StaffAccountKey(string Id, string ApiKey, string Name);
