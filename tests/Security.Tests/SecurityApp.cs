using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Traceability.Domain.Gs1;

namespace Traceability.Security.Tests;

/// <summary>
/// The standalone host over a fresh SQLite store, no demo data, a known admin key, every log line
/// captured. <see cref="Configure"/> and <see cref="Settings"/> let a test change services or settings.
/// </summary>
public class SecurityApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789-secret";
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "trace-sec-" + Guid.NewGuid().ToString("N"));
    public CapturingLoggerProvider Logs { get; } = new();
    public Action<IServiceCollection>? Configure { get; init; }
    public Dictionary<string, string> Settings { get; init; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("Auth:AdminKey", AdminKey);
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("Sync:Enabled", "false");
        foreach (var (k, v) in Settings) builder.UseSetting(k, v);
        builder.ConfigureLogging(l => l.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        if (Configure is { } configure) builder.ConfigureTestServices(configure);
    }

    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient Admin() => ClientWithKey(AdminKey);

    private static int prefixCounter;

    public async Task<(string Id, string ApiKey, string Prefix)> NewProducerAsync()
    {
        var prefix = "893" + (6000 + Interlocked.Increment(ref prefixCounter)).ToString();
        var response = await Admin().PostAsJsonAsync("/api/v1/producers", new
        {
            name = "HTX " + prefix, taxCode = Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(),
            address = "Xã Phù Lưu", province = "Tuyên Quang", companyPrefixes = new[] { prefix },
        });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return ((string)body["id"]!, (string)body["apiKey"]!, prefix);
    }

    public async Task<(string Id, string ApiKey)> NewInspectorAsync()
    {
        var response = await Admin().PostAsJsonAsync("/api/v1/inspectors", new { name = "Thanh tra", agency = "QLTT Tuyên Quang" });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return ((string)body["id"]!, (string)body["apiKey"]!);
    }

    public static string Gtin14(string prefix, int item)
    {
        var first12 = prefix + item.ToString().PadLeft(12 - prefix.Length, '0');
        return "0" + first12 + Gs1CheckDigit.Compute(first12);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(DataDirectory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
