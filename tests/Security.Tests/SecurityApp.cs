using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace Traceability.Security.Tests;

/// <summary>
/// The standalone host over a fresh SQLite store, no demo data, a known admin key, every log line
/// captured. <see cref="Configure"/> and <see cref="StandaloneApp.Settings"/> let a test change services or settings.
/// </summary>
public class SecurityApp : StandaloneApp
{
    public CapturingLoggerProvider Logs { get; } = new();
    public Action<IServiceCollection>? Configure { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l => l.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        if (Configure is { } configure) builder.ConfigureTestServices(configure);
    }

    /// <summary>Redirects are not followed: what an endpoint answers is what the test sees.</summary>
    public override HttpClient ClientWithKey(string? key) =>
        WithBearer(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }), key);
}
