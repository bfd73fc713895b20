namespace Traceability.Security.Tests;

/// <summary>
/// Issue 23: infra/deploy/nginx/traceability.conf, run by Debian's nginx in front of the host with
/// infra/deploy/systemd/traceability.env's proxy settings (ports and paths substituted): TLS at
/// nginx, HTTP→HTTPS, public links on the service's name, forwarded headers honoured from nginx only.
/// </summary>
public sealed class ReverseProxyDeploymentTests : IDisposable
{
    private const string Name = "truyxuat.example.vn";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly string root = Path.Combine(Path.GetTempPath(), "trace-nginx-" + Guid.NewGuid().ToString("N"));
    private Process? nginx;

    [Fact]
    public async Task Nginx_from_the_guide_terminates_tls_and_the_host_links_on_the_public_name()
    {
        Assert.SkipUnless(File.Exists("/usr/sbin/nginx"), "needs Debian's nginx (test.sh installs it)");
        var tls = Path.Combine(root, "tls");
        using (var make = Process.Start("sh", [Repository.File("infra", "deploy", "make-self-signed-cert.sh"), tls, Name]))
            await make.WaitForExitAsync(Ct);

        // The guide's environment file, as systemd would read it (comments and blanks skipped).
        var env = File.ReadAllLines(Repository.File("infra", "deploy", "systemd", "traceability.env"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var settings = new Dictionary<string, string>
        {
            ["Network:TrustedProxies:0"] = env["Network__TrustedProxies__0"],
            ["Lookup:PublicBaseUrl"] = env["Lookup__PublicBaseUrl"],
        };
        using var host = await StandaloneProcess.StartAsync(Path.Combine(root, "data"), StandaloneApp.AdminKey, settings);

        var (httpPort, httpsPort) = (StandaloneProcess.FreePort(), StandaloneProcess.FreePort());
        var site = (await File.ReadAllTextAsync(Repository.File("infra", "deploy", "nginx", "traceability.conf"), Ct))
            .Replace("listen [::]:80;", "").Replace("listen [::]:443 ssl http2;", "")
            .Replace("listen 80;", $"listen 127.0.0.1:{httpPort};").Replace("listen 443 ssl http2;", $"listen 127.0.0.1:{httpsPort} ssl http2;")
            .Replace("/etc/traceability/tls", tls).Replace("http://127.0.0.1:8080", host.BaseAddress.ToString().TrimEnd('/'));
        await StartNginxAsync(site, httpsPort);

        using var client = new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, _, _, _) => true, AllowAutoRedirect = false,
        }) { BaseAddress = new Uri($"https://127.0.0.1:{httpsPort}") };
        HttpRequestMessage Request(HttpMethod method, string path, object? body = null, string? key = null)
        {
            var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Host = Name;
            if (key is not null) request.Headers.Authorization = new("Bearer", key);
            return request;
        }

        var created = await (await client.SendAsync(Request(HttpMethod.Post, "/api/v1/producers", new
        {
            name = "HTX Chè", taxCode = "5000999995", address = "x", province = "Tuyên Quang", companyPrefixes = new[] { "8939995" },
        }, StandaloneApp.AdminKey), Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);
        var key = (string)created!["apiKey"]!;
        var gtin = StandaloneApp.Gtin14("8939995", 1);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Request(HttpMethod.Post, "/api/v1/products", new { gtin, name = new { vi = "Chè" } }, key), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Request(HttpMethod.Post, "/api/v1/lots", new { gtin, lot = "L1" }, key), Ct)).StatusCode);

        var lookup = Request(HttpMethod.Get, $"/01/{gtin}/10/L1");
        lookup.Headers.Accept.ParseAdd("application/json");
        var answer = await client.SendAsync(lookup, Ct);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("max-age=31536000", answer.Headers.GetValues("Strict-Transport-Security").Single());
        var json = (await answer.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        Assert.Equal($"https://{Name}/01/{gtin}/10/L1", (string?)json["digitalLink"]);

        using var plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        var toHttps = new HttpRequestMessage(HttpMethod.Get, $"/01/{gtin}/10/L1");
        toHttps.Headers.Host = Name;
        var redirect = await plain.SendAsync(toHttps, Ct);
        Assert.Equal(HttpStatusCode.PermanentRedirect, redirect.StatusCode);
        Assert.Equal($"https://{Name}/01/{gtin}/10/L1", redirect.Headers.Location?.ToString());
    }

    private async Task StartNginxAsync(string site, int httpsPort)
    {
        var prefix = Path.Combine(root, "nginx");
        Directory.CreateDirectory(prefix);
        await File.WriteAllTextAsync(Path.Combine(prefix, "site.conf"), site, Ct);
        // The master config Debian's /etc/nginx/nginx.conf would be, reduced to what a test needs.
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), $$"""
            daemon off; worker_processes 1; pid {{prefix}}/nginx.pid; error_log {{prefix}}/error.log; user root;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}/body; proxy_temp_path {{prefix}}/proxy; fastcgi_temp_path {{prefix}}/fcgi;
                uwsgi_temp_path {{prefix}}/uwsgi; scgi_temp_path {{prefix}}/scgi;
                include {{prefix}}/site.conf;
            }
            """, Ct);
        nginx = Process.Start(new ProcessStartInfo("/usr/sbin/nginx", ["-p", prefix, "-c", Path.Combine(prefix, "nginx.conf")])
        {
            RedirectStandardError = true, RedirectStandardOutput = true,
        })!;
        using var probe = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(20); await Task.Delay(100, Ct))
        {
            Assert.False(nginx.HasExited, "nginx exited: " + await nginx.StandardError.ReadToEndAsync(Ct));
            try
            {
                await probe.GetAsync($"https://127.0.0.1:{httpsPort}/alive", Ct);
                return;
            }
            catch (HttpRequestException) { } // not listening yet
        }
        Assert.Fail("nginx did not start listening within 20 s");
    }

    public void Dispose()
    {
        if (nginx is { HasExited: false }) nginx.Kill(entireProcessTree: true); // its worker too, which would keep the ports
        nginx?.Dispose();
        try { Directory.Delete(root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
