using Microsoft.AspNetCore.Hosting;

namespace Traceability.Ingestion.FunctionalTests;

/// <summary>
/// The standalone host over a fresh store, without demo data, with a known admin key. The store is
/// SQLite, or MongoDB (a fresh database) when TRACE_MONGO_URL is set, so every functional test runs
/// unchanged on either provider. <see cref="StandaloneApp.Settings"/> override any setting (e.g. to switch sync on).
/// </summary>
public sealed class TraceabilityApp : StandaloneApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (Environment.GetEnvironmentVariable("TRACE_MONGO_URL") is { Length: > 0 } mongo)
        {
            builder.UseSetting("Storage:Provider", "Mongo");
            builder.UseSetting("Storage:Mongo:ConnectionString", mongo);
            builder.UseSetting("Storage:Mongo:Database", "trace-tests-" + Guid.NewGuid().ToString("N")[..12]);
        }
        base.ConfigureWebHost(builder);
    }

    /// <summary>Registers a producer with a fresh company prefix; returns its client and prefix.</summary>
    public async Task<TestProducer> NewProducerAsync()
    {
        var producer = await RegisterProducerAsync();
        return new TestProducer(this, ClientWithKey(producer.ApiKey), producer.Id, producer.Prefix);
    }
}

public sealed record TestProducer(TraceabilityApp App, HttpClient Client, string Id, string Prefix)
{
    private int nextItem;

    /// <summary>A valid GTIN-13 under this producer's prefix.</summary>
    public string NewGtin() => StandaloneApp.Gtin13(Prefix, Interlocked.Increment(ref nextItem));

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
