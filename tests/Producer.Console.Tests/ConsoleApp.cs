using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Traceability.ProducerConsole.Tests;

/// <summary>The standalone host over a fresh SQLite file, without demo data, with a known admin key.</summary>
public sealed class ConsoleApp : StandaloneApp
{
    public ConsoleApp() { }

    /// <summary>A second host over <paramref name="dataDirectory"/> (the same SQLite file as another one), which it leaves in place.</summary>
    internal ConsoleApp(string dataDirectory) : base(dataDirectory) { }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Lookup:PublicBaseUrl", "https://truyxuat.example.vn");
    }

    /// <summary>A lot's or a code's public projection, as a phone asking for JSON gets it (anonymous).</summary>
    public async Task<JsonObject> PublicJsonAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("application/json"));
        var response = await CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>Registers a producer with a fresh company prefix through the admin API.</summary>
    public async Task<Producer> NewProducerAsync()
    {
        var producer = await RegisterProducerAsync();
        return new Producer(this, producer.ApiKey, producer.Id, producer.Prefix);
    }
}

public sealed partial record Producer(ConsoleApp App, string Key, string Id, string Prefix)
{
    private int nextItem;

    public HttpClient Api => App.ClientWithKey(Key);

    public string NewGtin() => StandaloneApp.Gtin13(Prefix, Interlocked.Increment(ref nextItem));

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
