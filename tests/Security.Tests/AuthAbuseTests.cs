using Microsoft.AspNetCore.Builder;

namespace Traceability.Security.Tests;

/// <summary>
/// Issue 16: thousands of wrong bearer keys and admin-key guesses all got 401, unlogged. Failed
/// authentications are limited per client address (Auth:FailureLimit per Auth:FailureWindowSeconds,
/// 30 per 60 s by default) and logged as rate-limited warnings with the key id prefix only.
/// </summary>
public sealed partial class AuthAbuseTests : IAsyncLifetime
{
    private const string ClientHeader = "X-Test-Client";
    private const int Limit = 30; // the default

    /// <summary>The test server has no client address: a header sets it, so two "clients" can be told apart.</summary>
    private readonly SecurityApp app = new()
    {
        Configure = services => services.AddSingleton<IStartupFilter>(new ClientAddressFromHeader()),
    };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Wrong_bearer_keys_and_admin_guesses_past_the_limit_get_429_problem_with_retry_after_for_that_client_only()
    {
        var (_, producerKey, _) = await app.RegisterProducerAsync(); // successes never count
        var wrongKey = "trc_0011223344556677_ThisIsNotARealSecretButLooksLikeOne0123456";
        for (var i = 0; i < Limit; i++)
        {
            var key = i % 2 == 0 ? wrongKey : $"guessed-admin-key-{i:D4}-0123456789abcdef";
            Assert.Equal(HttpStatusCode.Unauthorized, (await Client(key, "10.0.0.1").GetAsync("/api/v1/products")).StatusCode);
        }

        // Over the limit: refused before the key is looked at, the right key too (no oracle for a guesser).
        var refused = await Client(producerKey, "10.0.0.1").GetAsync("/api/v1/products");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, (int)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["status"]!);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { TotalSeconds: >= 1 and <= 60 }, $"Retry-After {retryAfter}");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Client(SecurityApp.AdminKey, "10.0.0.1").GetAsync("/api/v1/products")).StatusCode);

        // Another address, and requests without a key (public lookups) from the same one, go on.
        Assert.Equal(HttpStatusCode.OK, (await Client(producerKey, "10.0.0.2").GetAsync("/api/v1/products")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client(null, "10.0.0.1").GetAsync("/alive")).StatusCode);

        // Two warnings for 30 failures (the first, the block), with the key id's prefix, never a secret.
        var warnings = app.Logs.Lines.Where(l => l.StartsWith("Warning Traceability.ServiceDefaults.Auth.FailedAuthLimiter", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("10.0.0.1", StringComparison.Ordinal) && w.Contains("key id 00112233 ", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("made 30 failed authentications", StringComparison.Ordinal));
        var secrets = new[] { wrongKey.Split('_')[^1], "0011223344556677", "guessed-admin-key", producerKey };
        Assert.DoesNotContain(app.Logs.Lines, l => secrets.Any(l.Contains));
    }

    [Fact]
    public async Task Bearer_tokens_on_endpoints_that_need_no_key_never_count_as_failures()
    {
        // The in-process portal simulator's own tokens pass through this host's authentication on
        // every sync call: they must never block the worker (it calls from 127.0.0.1).
        var foreign = Client("portal-simulator-token-not-ours", "10.0.0.5");
        for (var i = 0; i < Limit * 2; i++)
            Assert.Equal(HttpStatusCode.OK, (await foreign.GetAsync("/.well-known/gs1resolver")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client(SecurityApp.AdminKey, "10.0.0.5").GetAsync("/api/v1/sync/status")).StatusCode);
        Assert.DoesNotContain(app.Logs.Lines, l => l.StartsWith("Warning Traceability.ServiceDefaults.Auth.FailedAuthLimiter", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wrong_keys_in_the_console_sign_in_form_past_the_limit_get_a_vietnamese_429_page()
    {
        var browser = Client(null, "10.0.0.3");
        for (var i = 0; i < Limit; i++)
        {
            var wrong = await SignInAsync(browser, $"trc_deadbeef{i:D8}_not-the-secret-0123456789");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        var (_, producerKey, _) = await app.RegisterProducerAsync();
        var refused = await SignInAsync(browser, producerKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.StartsWith("text/html", refused.Content.Headers.ContentType?.ToString());
        Assert.Contains("Đã nhập sai khoá quá nhiều lần", await refused.Content.ReadAsStringAsync());
        Assert.True(refused.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 60 });
        // The same address's bearer calls share the count.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Client(producerKey, "10.0.0.3").GetAsync("/api/v1/products")).StatusCode);
        // Another browser signs in.
        var other = await SignInAsync(Client(null, "10.0.0.4"), producerKey);
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
    }

    private HttpClient Client(string? key, string address)
    {
        var client = app.ClientWithKey(key);
        client.DefaultRequestHeaders.Add(ClientHeader, address);
        return client;
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string key)
    {
        var page = await (await browser.GetAsync("/console/signin")).Content.ReadAsStringAsync();
        var token = CsrfToken().Match(page).Groups[1].Value;
        return await browser.PostAsync("/console/signin", new FormUrlEncodedContent([new("__csrf", WebUtility.HtmlDecode(token)), new("key", key)]));
    }

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();

    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[ClientHeader], out var address)) context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
