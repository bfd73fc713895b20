using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Traceability.Security.Tests;

/// <summary>
/// Issue 16: the Host header used to set every public link (JSON, linkset, link-type redirects,
/// resolver description, warnings feed) of answers cached publicly without Vary, so one request
/// naming another host could plant that host in a cached page. Against the host on a real port.
/// </summary>
public sealed class PublicLinkHostTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class LiveHost : StandaloneApp
    {
        public LiveHost(Dictionary<string, string>? settings = null)
        {
            Settings = settings ?? [];
            UseKestrel(0);
            StartServer();
            var address = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            Port = address.Port;
        }

        public int Port { get; }

        public HttpClient Raw(string? key = null)
        {
            var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };
            return WithBearer(client, key);
        }

        public override HttpClient ClientWithKey(string? key) => Raw(key);
    }

    private static async Task<(string Gtin, string Lot)> LotAsync(LiveHost host)
    {
        var producer = await host.RegisterProducerAsync();
        var client = host.ClientWithKey(producer.ApiKey);
        var gtin = StandaloneApp.Gtin14(producer.Prefix, 1);
        (await client.PostAsJsonAsync("/api/v1/products", new { gtin, name = new { vi = "Chè Shan tuyết" } }, Ct)).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = "L1" }, Ct)).EnsureSuccessStatusCode();
        return (gtin, "L1");
    }

    /// <summary>Every public link one request gets: digitalLink, linkset anchors, a link-type redirect, the resolver root, the warnings feed.</summary>
    private static async Task<List<string>> LinksAsync(LiveHost host, string gtin, string lot, params (string Name, string Value)[] headers)
    {
        async Task<HttpResponseMessage> Get(string path, string accept = "application/json")
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Accept", accept);
            foreach (var (name, value) in headers)
                if (name == "Host") request.Headers.Host = value; else request.Headers.TryAddWithoutValidation(name, value);
            return await host.Raw().SendAsync(request, Ct);
        }

        var path = $"/01/{gtin}/10/{lot}";
        var links = new List<string>();
        using (var json = JsonDocument.Parse(await (await Get(path)).Content.ReadAsStringAsync(Ct)))
            links.Add(json.RootElement.GetProperty("digitalLink").GetString()!);
        using (var linkset = JsonDocument.Parse(await (await Get(path + "?linkType=linkset")).Content.ReadAsStringAsync(Ct)))
            links.AddRange(linkset.RootElement.GetProperty("linkset").EnumerateArray().Select(c => c.GetProperty("anchor").GetString()!));
        var redirect = await Get(path + "?linkType=gs1:traceability");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        links.Add(redirect.Headers.Location!.ToString());
        using (var description = JsonDocument.Parse(await (await Get("/.well-known/gs1resolver")).Content.ReadAsStringAsync(Ct)))
            links.Add(description.RootElement.GetProperty("resolverRoot").GetString()!);
        var feed = await (await Get("/api/v1/warnings")).Content.ReadAsStringAsync(Ct);
        links.AddRange(Regex.Matches(feed, "\"(https?://[^\"]+)\"").Select(m => m.Groups[1].Value));
        return links;
    }

    private static async Task RecallAsync(LiveHost host, string gtin, string lot) =>
        (await host.Admin().PostAsJsonAsync("/api/v1/recalls", new { gtin, lots = new[] { lot }, reason = "Nhiễm khuẩn", severity = "high" }, Ct)).EnsureSuccessStatusCode();

    [Fact]
    public async Task A_request_naming_another_host_gets_links_on_the_hosts_own_address()
    {
        using var host = new LiveHost();
        var (gtin, lot) = await LotAsync(host);
        await RecallAsync(host, gtin, lot);
        var own = $"http://127.0.0.1:{host.Port}";

        var honest = await LinksAsync(host, gtin, lot);
        Assert.True(honest.Count >= 6, string.Join(", ", honest));
        Assert.All(honest, l => Assert.Matches($"^{Regex.Escape(own)}(/|$)", l));

        var planted = await LinksAsync(host, gtin, lot, ("Host", $"evil.example:{host.Port}"));
        Assert.All(planted, l => Assert.DoesNotContain("evil", l));
        Assert.All(planted, l => Assert.Matches($"^http://(localhost|127\\.0\\.0\\.1):{host.Port}(/|$)", l));
    }

    [Fact]
    public async Task Forwarded_headers_are_ignored_unless_they_come_from_a_trusted_proxy()
    {
        using var host = new LiveHost();
        var (gtin, lot) = await LotAsync(host);

        var links = await LinksAsync(host, gtin, lot, ("X-Forwarded-Host", "evil.example"), ("X-Forwarded-Proto", "https"));
        Assert.All(links, l => Assert.Matches($"^http://127\\.0\\.0\\.1:{host.Port}(/|$)", l));
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_links_take_its_scheme_and_only_the_public_hosts()
    {
        using var host = new LiveHost(new()
        {
            ["Network:TrustedProxies:0"] = "127.0.0.0/8",
            ["Lookup:PublicHosts:0"] = "truyxuat.tuyenquang.gov.vn",
        });
        var (gtin, lot) = await LotAsync(host);

        var proxied = await LinksAsync(host, gtin, lot, ("X-Forwarded-Host", "truyxuat.tuyenquang.gov.vn"), ("X-Forwarded-Proto", "https"));
        Assert.All(proxied, l => Assert.Matches("^https://truyxuat\\.tuyenquang\\.gov\\.vn(/|$)", l));

        var planted = await LinksAsync(host, gtin, lot, ("X-Forwarded-Host", "evil.example"), ("X-Forwarded-Proto", "https"));
        Assert.All(planted, l => Assert.Matches("^https://truyxuat\\.tuyenquang\\.gov\\.vn(/|$)", l));
    }

    [Fact]
    public void A_trusted_proxy_that_is_not_an_address_refuses_the_start()
    {
        using var app = new SecurityApp { Settings = new Dictionary<string, string> { ["Network:TrustedProxies:0"] = "proxy.local" } };
        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("Network:TrustedProxies entry 'proxy.local'", failure.ToString());
    }
}
