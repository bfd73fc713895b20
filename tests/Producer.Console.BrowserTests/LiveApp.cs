using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Traceability.Testing;

namespace Traceability.ProducerConsole.BrowserTests;

/// <summary>The standalone host on a real Kestrel port (127.0.0.1, any free port) over a fresh SQLite file.</summary>
public sealed class LiveApp : StandaloneApp
{
    private string? baseUrl;

    public string BaseUrl
    {
        get
        {
            if (baseUrl is not null) return baseUrl;
            UseKestrel(0);
            StartServer();
            return baseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
                .Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        }
    }

    /// <summary>Over the real port, as the browser talks to the app.</summary>
    public override HttpClient ClientWithKey(string? key) => WithBearer(new HttpClient { BaseAddress = new Uri(BaseUrl) }, key);

    /// <summary>A producer with a fresh company prefix: its key and prefix.</summary>
    public async Task<(string Key, string Prefix)> NewProducerAsync()
    {
        var producer = await RegisterProducerAsync("HTX Chè Shan tuyết", address: "Xã Sinh Long");
        return (producer.ApiKey, producer.Prefix);
    }
}

public sealed class LiveAppFixture : IDisposable
{
    public LiveApp App { get; } = new();

    public void Dispose() => App.Dispose();
}
