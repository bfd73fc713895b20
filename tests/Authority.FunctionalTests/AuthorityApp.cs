using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Traceability.Domain.Gs1;

namespace Traceability.Authority.FunctionalTests;

/// <summary>The standalone host over a fresh SQLite file, without demo data, with a known admin key.</summary>
public class AuthorityApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";
    public AuthorityApp() : this(null) { }

    /// <summary>A host over an existing data directory (a restart), which it leaves in place.</summary>
    protected AuthorityApp(string? dataDirectory)
    {
        _ownsDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "authority-tests-" + Guid.NewGuid().ToString("N"));
    }

    private readonly bool _ownsDirectory;

    public string DataDirectory { get; }

    /// <summary>Reports one client may send per window; high so tests sharing the host never hit it.</summary>
    protected virtual int ReportPermitLimit => 10_000;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("Auth:AdminKey", AdminKey);
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("Sync:Enabled", "false");
        builder.UseSetting("Reports:PermitLimit", ReportPermitLimit.ToString());
        builder.UseSetting("Inspections:MaxPhotoBytes", "65536");
    }

    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient Admin() => ClientWithKey(AdminKey);

    public async Task<(HttpClient Client, string Id)> NewInspectorAsync(string name = "Nguyễn Thị Thanh")
    {
        var response = await Admin().PostAsJsonAsync("/api/v1/inspectors", new { name, agency = "QLTT Tuyên Quang" });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (ClientWithKey((string)body["apiKey"]!), (string)body["id"]!);
    }

    private static int prefixCounter;

    public async Task<TestProducer> NewProducerAsync(string name)
    {
        var prefix = "893" + (6000 + Interlocked.Increment(ref prefixCounter)).ToString();
        var taxCode = Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString();
        var response = await Admin().PostAsJsonAsync("/api/v1/producers", new
        {
            name, taxCode, address = "Xã Phù Lưu", province = "Tuyên Quang", companyPrefixes = new[] { prefix },
        });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return new TestProducer(ClientWithKey((string)body["apiKey"]!), (string)body["id"]!, prefix, name, taxCode);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!_ownsDirectory) return;
        try { Directory.Delete(DataDirectory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The same data directory opened again, as after a restart.</summary>
public sealed class RestartedApp(string dataDirectory) : AuthorityApp(dataDirectory);

public sealed record TestProducer(HttpClient Client, string Id, string Prefix, string Name, string TaxCode)
{
    private int nextItem;

    public async Task<string> RegisterProductAsync(string vi)
    {
        var first12 = Prefix + Interlocked.Increment(ref nextItem).ToString().PadLeft(12 - Prefix.Length, '0');
        var gtin = first12 + Gs1CheckDigit.Compute(first12);
        var response = await Client.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi } });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return gtin.PadLeft(14, '0');
    }

    public async Task RegisterLotAsync(string gtin14, string lot)
    {
        var response = await Client.PostAsJsonAsync("/api/v1/lots", new { gtin = gtin14, lot });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    public async Task RegisterLocationAsync(string code, string name, string province)
    {
        var response = await Client.PostAsJsonAsync("/api/v1/locations", new { code, name, kind = "processing", province });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    public async Task CaptureAsync(params JsonObject[] events)
    {
        var document = new JsonObject
        {
            ["@context"] = new JsonArray("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"),
            ["type"] = "EPCISDocument",
            ["schemaVersion"] = "2.0",
            ["creationDate"] = "2026-11-01T00:00:00Z",
            ["epcisBody"] = new JsonObject { ["eventList"] = new JsonArray([.. events]) },
        };
        var response = await Client.PostAsync("/epcis/capture",
            new StringContent(document.ToJsonString(), System.Text.Encoding.UTF8, "application/ld+json"));
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }
}
