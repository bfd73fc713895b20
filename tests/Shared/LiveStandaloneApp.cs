using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Traceability.Testing;

/// <summary>
/// The standalone host on a real Kestrel port (127.0.0.1, any free port) over a fresh SQLite file,
/// for browser tests. Linked into the projects that use it (tests/Shared), beside StandaloneApp.cs.
/// </summary>
public sealed class LiveStandaloneApp : StandaloneApp
{
    private string? baseUrl;

    /// <summary>Starts the server on first use; without a trailing slash.</summary>
    public string BaseUrl
    {
        get
        {
            if (baseUrl is not null) return baseUrl;
            UseKestrel(0);
            StartServer();
            return baseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
                .Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        }
    }

    public override HttpClient ClientWithKey(string? key) => WithBearer(new HttpClient { BaseAddress = new Uri(BaseUrl) }, key);
}
