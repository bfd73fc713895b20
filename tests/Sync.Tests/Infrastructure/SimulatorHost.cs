using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Traceability.PortalSimulator;

namespace Traceability.Sync.Tests.Infrastructure;

/// <summary>The portal simulator on Kestrel at 127.0.0.1:0 (real sockets, so dropped connections are real).</summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    public const string ClientId = "traceability-test";
    public const string ClientSecret = "s3cret-value";

    private readonly WebApplication _app;

    private SimulatorHost(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Control = new HttpClient { BaseAddress = baseUrl };
    }

    public Uri BaseUrl { get; }
    public HttpClient Control { get; }
    public PortalState State => _app.Services.GetRequiredService<PortalState>();
    public FaultInjector Faults => _app.Services.GetRequiredService<FaultInjector>();

    /// <param name="time">The clock tokens expire by (the tests' fake clock), or the system clock.</param>
    /// <param name="prefix">Mount point, as the standalone host uses "/_portal".</param>
    public static async Task<SimulatorHost> StartAsync(TimeProvider? time = null, string prefix = "")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration["PortalSimulator:ClientId"] = ClientId;
        builder.Configuration["PortalSimulator:ClientSecret"] = ClientSecret;
        if (time is not null)
            builder.Services.AddSingleton(time);
        builder.Services.AddPortalSimulator(builder.Configuration);
        var app = builder.Build();
        app.MapPortalSimulator(prefix);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SimulatorHost(app, new Uri(address + prefix));
    }

    /// <summary>
    /// Settings that point a Traceability host's portal client at this simulator, with retries,
    /// backoffs and polling short enough for a test to watch the outbox drain in seconds.
    /// </summary>
    public Dictionary<string, string> HostSettings() => new()
    {
        ["Sync:Enabled"] = "true",
        ["Portal:BaseUrl"] = BaseUrl.ToString(),
        ["Portal:ClientId"] = ClientId,
        ["Portal:ClientSecret"] = ClientSecret,
        ["Portal:RatePerSecond"] = "5000",
        ["Portal:RetryBaseDelay"] = "00:00:00.005",
        ["Portal:RetryMaxDelay"] = "00:00:00.050",
        ["Portal:BreakerBreakDuration"] = "00:00:00.500",
        ["Sync:PollInterval"] = "00:00:00.050",
        ["Sync:BatchSize"] = "200",
        ["Sync:Concurrency"] = "16",
        ["Sync:BackoffBase"] = "00:00:00.020",
        ["Sync:MaxBackoff"] = "00:00:00.500",
    };

    public async Task SetFaultsAsync(object faults)
    {
        using var response = await Control.PostAsJsonAsync(Path("_sim/faults"), faults);
        response.EnsureSuccessStatusCode();
    }

    public async Task<SimulatorStats> StatsAsync() =>
        (await Control.GetFromJsonAsync<SimulatorStats>(Path("_sim/stats")))!;

    public string Path(string relative) => BaseUrl.AbsolutePath.TrimEnd('/') + "/" + relative;

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
