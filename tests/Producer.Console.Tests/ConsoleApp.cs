using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Traceability.Domain.Gs1;

namespace Traceability.ProducerConsole.Tests;

/// <summary>The standalone host over a fresh SQLite file, without demo data, with a known admin key (as in Ingestion.FunctionalTests).</summary>
public sealed class ConsoleApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "console-tests-" + Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("Auth:AdminKey", AdminKey);
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("Sync:Enabled", "false");
        builder.UseSetting("Lookup:PublicBaseUrl", "https://truyxuat.example.vn");
    }

    public HttpClient ApiClient(string? key)
    {
        var client = CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static int prefixCounter;

    /// <summary>Registers a producer with a fresh company prefix through the admin API.</summary>
    public async Task<Producer> NewProducerAsync()
    {
        var prefix = "893" + (8000 + Interlocked.Increment(ref prefixCounter)).ToString();
        var taxCode = Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString();
        var response = await ApiClient(AdminKey).PostAsJsonAsync("/api/v1/producers", new
        {
            name = "HTX Cam sành " + prefix, taxCode, address = "Xã Phù Lưu", province = "Tuyên Quang",
            companyPrefixes = new[] { prefix },
        });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return new Producer(this, (string)body["apiKey"]!, (string)body["id"]!, prefix);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(DataDirectory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public sealed partial record Producer(ConsoleApp App, string Key, string Id, string Prefix)
{
    private int nextItem;

    public HttpClient Api => App.ApiClient(Key);

    public string NewGtin()
    {
        var first12 = Prefix + Interlocked.Increment(ref nextItem).ToString().PadLeft(12 - Prefix.Length, '0');
        return first12 + Gs1CheckDigit.Compute(first12);
    }

    /// <summary>A browser-like client (cookies, no automatic redirects), signed in to the console.</summary>
    public async Task<Browser> SignInAsync()
    {
        var browser = new Browser(App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        var response = await browser.SubmitAsync("/console/signin", "/console/signin", new() { ["key"] = Key });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }
}

/// <summary>Fetches a page, scrapes its anti-forgery token and posts a form, as a browser would.</summary>
public sealed partial class Browser(HttpClient client)
{
    public HttpClient Client { get; } = client;

    public async Task<string> GetPageAsync(string url)
    {
        var response = await Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public static string TokenOf(string html) => Token().Match(html) is { Success: true } m
        ? WebUtility.HtmlDecode(m.Groups[1].Value)
        : throw new InvalidOperationException("The page has no anti-forgery token.");

    public async Task<HttpResponseMessage> SubmitAsync(string pageUrl, string action, Dictionary<string, string> fields, bool withToken = true)
    {
        var html = await GetPageAsync(pageUrl);
        var form = new List<KeyValuePair<string, string>>(fields);
        if (withToken) form.Add(new("__csrf", TokenOf(html)));
        return await Client.PostAsync(action, new FormUrlEncodedContent(form));
    }

    public async Task<HttpResponseMessage> SubmitFormAsync(string pageUrl, string action, Func<string, HttpContent> body)
    {
        var html = await GetPageAsync(pageUrl);
        return await Client.PostAsync(action, body(TokenOf(html)));
    }

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
