using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Traceability.Benchmarks;

/// <summary>
/// The portal simulator on Kestrel in the benchmark process: the host under test reaches it over
/// loopback as it would reach the real portal, and the limit is measured against the same instance
/// kind. Its state and faults are read and set directly, without requests competing with the worker's.
/// </summary>
internal sealed class PortalSimulatorServer : IAsyncDisposable
{
    public const string ClientId = "bench";
    public const string ClientSecret = "bench-secret";

    private readonly WebApplication app;
    public Uri BaseAddress { get; }
    public PortalState State => app.Services.GetRequiredService<PortalState>();
    public FaultInjector Faults => app.Services.GetRequiredService<FaultInjector>();

    private PortalSimulatorServer(WebApplication app, Uri baseAddress) => (this.app, BaseAddress) = (app, baseAddress);

    public static async Task<PortalSimulatorServer> StartAsync(FaultSettings? faults = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Configuration["PortalSimulator:ClientId"] = ClientId;
        builder.Configuration["PortalSimulator:ClientSecret"] = ClientSecret;
        builder.Services.AddPortalSimulator(builder.Configuration);
        var app = builder.Build();
        app.MapPortalSimulator();
        await app.StartAsync();
        var server = new PortalSimulatorServer(app, new Uri(app.Urls.First()));
        if (faults is not null) server.Faults.Set(faults);
        return server;
    }

    /// <summary>The host's settings that point its sync worker here.</summary>
    public Dictionary<string, string> HostSettings() => new()
    {
        ["Portal__BaseUrl"] = BaseAddress.AbsoluteUri,
        ["Portal__ClientId"] = ClientId,
        ["Portal__ClientSecret"] = ClientSecret,
    };

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
