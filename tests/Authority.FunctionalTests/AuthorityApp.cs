using Microsoft.AspNetCore.Hosting;

namespace Traceability.Authority.FunctionalTests;

/// <summary>The standalone host over a fresh SQLite file, without demo data, with a known admin key.</summary>
public class AuthorityApp : StandaloneApp
{
    public AuthorityApp() : this(null) { }

    /// <summary>A host over an existing data directory (a restart), which it leaves in place.</summary>
    protected AuthorityApp(string? dataDirectory) : base(dataDirectory) { }

    /// <summary>Reports one client may send per window; high so tests sharing the host never hit it.</summary>
    protected virtual int ReportPermitLimit => 10_000;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Reports:PermitLimit", ReportPermitLimit.ToString());
        builder.UseSetting("Inspections:MaxPhotoBytes", "65536");
    }

    public async Task<(HttpClient Client, string Id)> NewInspectorAsync(string name = "Nguyễn Thị Thanh")
    {
        var inspector = await RegisterInspectorAsync(name);
        return (ClientWithKey(inspector.ApiKey), inspector.Id);
    }

    public async Task<TestProducer> NewProducerAsync(string name)
    {
        var producer = await RegisterProducerAsync(name);
        return new TestProducer(ClientWithKey(producer.ApiKey), producer.Id, producer.Prefix, name, producer.TaxCode);
    }
}

/// <summary>The same data directory opened again, as after a restart.</summary>
public sealed class RestartedApp(string dataDirectory) : AuthorityApp(dataDirectory);

public sealed record TestProducer(HttpClient Client, string Id, string Prefix, string Name, string TaxCode)
{
    private int nextItem;

    public async Task<string> RegisterProductAsync(string vi)
    {
        var gtin = StandaloneApp.Gtin13(Prefix, Interlocked.Increment(ref nextItem));
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
