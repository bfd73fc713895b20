using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Traceability.Lookup.Api;
using Traceability.Testing;

namespace Traceability.Lookup.Tests.Infrastructure;

/// <summary>
/// A real Kestrel host on 127.0.0.1:0 with AddLookup/MapLookupApi over the SQLite store in a
/// temporary directory, and a FakeTimeProvider.
/// </summary>
public sealed class LookupHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;
    private bool _stopped;
    private bool _disposed;

    private LookupHost(WebApplication app, TestStores stores, string directory, FakeTimeProvider time)
    {
        _app = app;
        _directory = directory;
        Stores = stores;
        Time = time;
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };
    }

    public string BaseUrl { get; }
    public HttpClient Client { get; }
    /// <summary>The SQLite feature stores the host serves from (one per feature, over one database).</summary>
    public TestStores Stores { get; }
    public FakeTimeProvider Time { get; }
    public IServiceProvider Services => _app.Services;

    /// <summary>Now in the tests: 2026-11-20 03:00 UTC (10:00 in Vietnam).</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 3, 0, 0, TimeSpan.Zero);

    public static async Task<LookupHost> StartAsync(Action<WebApplicationBuilder>? configure = null)
    {
        var time = new FakeTimeProvider(Now);
        var directory = Directory.CreateTempSubdirectory("lookup-tests-").FullName;
        var stores = TestStores.OpenSqlite(directory, time);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<TimeProvider>(time);
        stores.AddTo(builder.Services);
        builder.AddLookup();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapLookupApi();
        // Extra endpoints a test needs beside the lookup (e.g. a stand-in for another feature).
        foreach (var map in app.Services.GetServices<Action<WebApplication>>()) map(app);
        await app.StartAsync();
        return new LookupHost(app, stores, directory, time);
    }

    /// <summary>Stops the server (the scan log writer flushes its queue); the store stays readable.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await _app.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        Client.Dispose();
        await StopAsync();
        await _app.DisposeAsync();
        await Stores.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }
}
