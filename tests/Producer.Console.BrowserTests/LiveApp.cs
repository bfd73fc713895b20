using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Traceability.ProducerConsole.BrowserTests;

/// <summary>The standalone host on a real Kestrel port (127.0.0.1, any free port) over a fresh SQLite file.</summary>
public sealed class LiveApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "browser-admin-key-0123456789";
    public const string Chromium = "/usr/bin/chromium";
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "console-browser-" + Guid.NewGuid().ToString("N"));
    private string? baseUrl;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:DataDirectory", dataDirectory);
        builder.UseSetting("Auth:AdminKey", AdminKey);
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("Sync:Enabled", "false");
    }

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

    public HttpClient Api(string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static int prefixCounter;

    /// <summary>A producer with a fresh company prefix: its key and prefix.</summary>
    public async Task<(string Key, string Prefix)> NewProducerAsync()
    {
        var prefix = "893" + (6000 + Interlocked.Increment(ref prefixCounter)).ToString();
        var response = await Api(AdminKey).PostAsJsonAsync("/api/v1/producers", new
        {
            name = "HTX Chè Shan tuyết " + prefix, taxCode = Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(),
            address = "Xã Sinh Long", province = "Tuyên Quang", companyPrefixes = new[] { prefix },
        });
        response.EnsureSuccessStatusCode();
        return ((string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["apiKey"]!, prefix);
    }

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(dataDirectory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public sealed class LiveAppFixture : IDisposable
{
    public LiveApp App { get; } = new();

    public void Dispose() => App.Dispose();
}
