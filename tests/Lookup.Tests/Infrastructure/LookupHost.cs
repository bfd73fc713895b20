using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Traceability.Lookup.Api;
using Traceability.Storage;

namespace Traceability.Lookup.Tests.Infrastructure;

/// <summary>A real Kestrel host on 127.0.0.1:0 with AddLookup/MapLookupApi over a test store.</summary>
public sealed class LookupHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LookupHost(WebApplication app, InMemoryStore store, FakeTimeProvider time)
    {
        _app = app;
        Store = store;
        Time = time;
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };
    }

    public string BaseUrl { get; }
    public HttpClient Client { get; }
    public InMemoryStore Store { get; }
    public FakeTimeProvider Time { get; }
    public IServiceProvider Services => _app.Services;

    /// <summary>Now in the tests: 2026-11-20 03:00 UTC (10:00 in Vietnam).</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 3, 0, 0, TimeSpan.Zero);

    public static async Task<LookupHost> StartAsync(Action<WebApplicationBuilder>? configure = null, InMemoryStore? store = null)
    {
        store ??= new InMemoryStore();
        var time = new FakeTimeProvider(Now);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<ICatalogStore>(store);
        builder.Services.AddSingleton<IAccountStore>(store);
        builder.Services.AddSingleton<IEventStore>(store);
        builder.Services.AddSingleton<IScanStore>(store);
        builder.AddLookup();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapLookupApi();
        await app.StartAsync();
        return new LookupHost(app, store, time);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
