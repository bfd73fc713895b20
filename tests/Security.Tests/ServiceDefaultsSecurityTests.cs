using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Traceability.ServiceDefaults;
using Traceability.ServiceDefaults.Security;

namespace Traceability.Security.Tests;

/// <summary>Headers and rate limits as any service gets them from AddServiceDefaults/MapDefaultEndpoints.</summary>
public sealed class ServiceDefaultsSecurityTests : IAsyncLifetime
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "trace-sec-" + Guid.NewGuid().ToString("N"));
    private WebApplication app = null!;
    private HttpClient client = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = dataDirectory,
            ["Auth:AdminKey"] = "defaults-admin-key-0123456789-abcdefghij",
            ["RateLimits:PublicPermitLimit"] = "3",
            ["RateLimits:PublicWindowSeconds"] = "60",
            ["Limits:UploadTimeout"] = "00:00:01",
        });
        builder.AddServiceDefaults();
        app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/public", () => TypedResults.Ok(new { ok = true })).RequireRateLimiting(RateLimitPolicies.Public);
        app.MapGet("/unlimited", () => TypedResults.Ok(new { ok = true }));
        app.MapGet("/authorized", () => TypedResults.Ok(new { ok = true })).RequireAuthorization("admin");
        app.MapGet("/page", () => TypedResults.Content("<p>hi</p>", "text/html; charset=utf-8"));
        app.MapGet("/own-csp", (HttpContext c) =>
        {
            c.Response.Headers.ContentSecurityPolicy = "default-src 'none'";
            return TypedResults.Content("<p>own</p>", "text/html");
        });
        app.MapPost("/upload", async (HttpRequest request) =>
        {
            // Without RequestAborted, as form and antiforgery readers do: the timeout must still reach the read.
            await request.Body.CopyToAsync(Stream.Null);
            return TypedResults.Ok();
        }).WithUploadLimits(1024);
        // What Kestrel throws when a chunked body passes the server's limit (TestServer enforces none).
        app.MapPost("/oversized-read", () => { throw new BadHttpRequestException("Request body too large.", 413); });
        await app.StartAsync();
        client = app.GetTestClient();
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        try { Directory.Delete(dataDirectory, true); } catch (IOException) { }
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8")]
    [InlineData("application/json")]
    public async Task A_request_without_a_key_gets_a_401_problem_whatever_it_accepts(string accept)
    {
        // A browser opening an API URL accepts only HTML: the problem writers declined it and the challenge answered 500.
        var request = new HttpRequestMessage(HttpMethod.Get, "/authorized");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        var response = await client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":401", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_response_carries_nosniff_referrer_policy_and_frame_deny()
    {
        foreach (var path in new[] { "/unlimited", "/page", "/no-such-path" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
            Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        }
    }

    [Fact]
    public async Task Html_gets_the_default_csp_unless_it_sets_its_own_and_json_gets_none()
    {
        var page = await client.GetAsync("/page");
        var own = await client.GetAsync("/own-csp");
        var json = await client.GetAsync("/unlimited");

        Assert.Contains("script-src 'self'", Header(page, "Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", Header(page, "Content-Security-Policy"));
        Assert.Equal("default-src 'none'", Header(own, "Content-Security-Policy"));
        Assert.Null(Header(json, "Content-Security-Policy"));
    }

    [Fact]
    public async Task The_public_policy_answers_429_problem_json_with_retry_after_past_the_limit()
    {
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/public")).StatusCode);

        var limited = await client.GetAsync("/public");
        var admin = app.GetTestClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", "defaults-admin-key-0123456789-abcdefghij");
        var other = await admin.GetAsync("/authorized");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, (int)JsonNode.Parse(await limited.Content.ReadAsStringAsync())!["status"]!);
        Assert.InRange(int.Parse(Header(limited, "Retry-After")!), 1, 60);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task A_browser_over_the_anonymous_limit_gets_a_Vietnamese_page_with_retry_after_and_an_api_client_json()
    {
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/page")).StatusCode);

        using var browser = new HttpRequestMessage(HttpMethod.Get, "/page?x=1");
        browser.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        var page = await client.SendAsync(browser);
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.InRange(int.Parse(Header(page, "Retry-After")!), 1, 60);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"vi\">", html);
        Assert.Contains("Quá nhiều yêu cầu", html);
        Assert.Contains("Vui lòng đợi khoảng", html);
        Assert.Contains("href=\"/page?x=1\"", html);
        Assert.DoesNotContain("Too many", html);
        // Under the site's strict CSP: nothing inline to be refused.
        Assert.StartsWith("default-src 'self'", Header(page, "Content-Security-Policy"));
        Assert.DoesNotContain("<style", html);
        Assert.DoesNotContain("<script", html);

        using var english = new HttpRequestMessage(HttpMethod.Get, "/page?lang=en");
        english.Headers.Accept.ParseAdd("text/html");
        Assert.Contains("Too many requests", await (await client.SendAsync(english)).Content.ReadAsStringAsync());

        using var api = new HttpRequestMessage(HttpMethod.Get, "/page");
        api.Headers.Accept.ParseAdd("application/json");
        var json = await client.SendAsync(api);
        Assert.Equal(HttpStatusCode.TooManyRequests, json.StatusCode);
        Assert.Equal("application/problem+json", json.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(Header(json, "Retry-After"));
    }

    [Fact]
    public async Task Anonymous_endpoints_are_limited_without_opting_in_and_authorized_ones_are_not()
    {
        var admin = app.GetTestClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", "defaults-admin-key-0123456789-abcdefghij");
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/unlimited")).StatusCode);
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/authorized")).StatusCode);

        var limited = await client.GetAsync("/unlimited");
        var health = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, health.StatusCode);
    }

    [Fact]
    public async Task An_upload_declaring_more_than_its_endpoint_limit_gets_413_problem_json()
    {
        var within = await client.PostAsync("/upload", new ByteArrayContent(new byte[1024]));
        var over = await client.PostAsync("/upload", new ByteArrayContent(new byte[1025]));
        var read = await client.PostAsync("/oversized-read", new ByteArrayContent([1]));

        Assert.Equal(HttpStatusCode.OK, within.StatusCode);
        await AssertProblemAsync(over, HttpStatusCode.RequestEntityTooLarge);
        await AssertProblemAsync(read, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task An_upload_still_trickling_in_at_the_upload_timeout_gets_408_problem_json()
    {
        using var stop = new CancellationTokenSource();
        var response = await client.PostAsync("/upload", new TrickleContent(stop.Token), TestContext.Current.CancellationToken);
        await stop.CancelAsync();

        await AssertProblemAsync(response, HttpStatusCode.RequestTimeout);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, (int)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!);
    }

    /// <summary>A body that sends a few bytes, then nothing until the test lets it go (a slow or stalled client).</summary>
    private sealed class TrickleContent(CancellationToken stop) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync("{\"a\":"u8.ToArray());
            await stream.FlushAsync();
            try { await Task.Delay(Timeout.Infinite, stop); } catch (OperationCanceledException) { }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values) : null;
}
