using System.Security.Cryptography.X509Certificates;

namespace Traceability.Security.Tests;

/// <summary>
/// Issue 23: the host serves HTTPS from certificate files as infra/deploy/README.md sets it up
/// (the same script and settings): a lot page and its linkset over TLS, HSTS, and plain HTTP
/// redirected to HTTPS except the health probes.
/// </summary>
public sealed class HttpsDeploymentTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly string root = Path.Combine(Path.GetTempPath(), "trace-tls-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_host_serves_the_lot_page_and_linkset_over_tls_with_hsts_and_redirects_plain_http()
    {
        var script = Repository.File("infra", "deploy", "make-self-signed-cert.sh");
        var tls = Path.Combine(root, "tls");
        using (var make = Process.Start("sh", [script, tls, "127.0.0.1"]))
        {
            await make.WaitForExitAsync(Ct);
            Assert.Equal(0, make.ExitCode);
        }
        var httpsPort = StandaloneProcess.FreePort();
        using var host = await StandaloneProcess.StartAsync(Path.Combine(root, "data"), StandaloneApp.AdminKey, new Dictionary<string, string>
        {
            ["Kestrel:Certificates:Default:Path"] = Path.Combine(tls, "cert.pem"),
            ["Kestrel:Certificates:Default:KeyPath"] = Path.Combine(tls, "key.pem"),
            ["Lookup:PublicBaseUrl"] = $"https://127.0.0.1:{httpsPort}",
        }, extraUrl: $"https://127.0.0.1:{httpsPort}");

        // The lot, made over TLS (plain HTTP redirects every path but the health probes).
        var (gtin, lot) = await LotAsync(httpsPort);

        // Trust exactly the certificate the script made, as a phone trusts its CA.
        var certificate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(tls, "cert.pem"));
        using var tlsClient = new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented is not null && presented.Thumbprint == certificate.Thumbprint,
            AllowAutoRedirect = false,
        }) { BaseAddress = new Uri($"https://127.0.0.1:{httpsPort}") };

        var page = await tlsClient.GetAsync($"/01/{gtin}/10/{lot}", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("text/html", page.Content.Headers.ContentType?.MediaType);
        var linkset = await tlsClient.GetAsync($"/01/{gtin}/10/{lot}?linkType=linkset", Ct);
        Assert.Equal(HttpStatusCode.OK, linkset.StatusCode);
        using var json = JsonDocument.Parse(await linkset.Content.ReadAsStringAsync(Ct));
        Assert.All(json.RootElement.GetProperty("linkset").EnumerateArray(),
            c => Assert.StartsWith($"https://127.0.0.1:{httpsPort}/", c.GetProperty("anchor").GetString()));

        // HSTS is sent for a real host name (ASP.NET leaves it off for localhost and loopback addresses).
        var named = new HttpRequestMessage(HttpMethod.Get, "/alive");
        named.Headers.Host = "truyxuat.example.vn";
        Assert.Contains("max-age=31536000", (await tlsClient.SendAsync(named, Ct)).Headers.GetValues("Strict-Transport-Security").Single());

        using var plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        var redirect = await plain.GetAsync($"/01/{gtin}/10/{lot}", Ct);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        Assert.Equal($"https://127.0.0.1:{httpsPort}/01/{gtin}/10/{lot}", redirect.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync("/health", Ct)).StatusCode);
    }

    private static async Task<(string Gtin, string Lot)> LotAsync(int httpsPort)
    {
        using var admin = new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, _, _, _) => true, // the setup talks to its own host
        }) { BaseAddress = new Uri($"https://127.0.0.1:{httpsPort}") };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", StandaloneApp.AdminKey);
        var body = await (await admin.PostAsJsonAsync("/api/v1/producers", new
        {
            name = "HTX Chè", taxCode = "5000999996", address = "x", province = "Tuyên Quang", companyPrefixes = new[] { "8939996" },
        }, Ct)).Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(Ct);
        admin.DefaultRequestHeaders.Authorization = new("Bearer", (string)body!["apiKey"]!);
        var gtin = StandaloneApp.Gtin14("8939996", 1);
        (await admin.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = "Chè" } }, Ct)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = "L1" }, Ct)).EnsureSuccessStatusCode();
        return (gtin, "L1");
    }

    public void Dispose()
    {
        try { Directory.Delete(root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
