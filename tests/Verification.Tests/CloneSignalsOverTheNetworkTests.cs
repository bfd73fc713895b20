using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Traceability.Lookup.Api.Scans;

namespace Traceability.Verification.Tests;

/// <summary>
/// <see cref="VerificationApp"/> (fixed clock, fixed public base URL) on a real Kestrel port, so
/// the service sees real client addresses: a client can be bound to any loopback source address
/// 127.N.0.1, each its own /24 network.
/// </summary>
public sealed class LiveVerificationApp : VerificationApp
{
    private Uri? address;

    public Uri Address
    {
        get
        {
            if (address is not null) return address;
            UseKestrel(0);
            StartServer();
            return address = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
                .Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        }
    }

    /// <summary>Over the real port, from 127.0.0.1.</summary>
    public override HttpClient ClientWithKey(string? key) => WithBearer(new HttpClient { BaseAddress = Address }, key);

    /// <summary>A client whose connections come from <paramref name="source"/> (a loopback address other than 127.0.0.1).</summary>
    public HttpClient ClientFrom(IPAddress source, string? key = null)
    {
        var target = Address;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return WithBearer(new HttpClient(handler) { BaseAddress = target }, key);
    }

    /// <summary>Waits until the scan log has written <paramref name="count"/> scans in all (it writes in the background).</summary>
    public async Task ScansWrittenAsync(long count)
    {
        var log = Service<ScanLog>();
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); log.Written < count; await Task.Delay(50))
        {
            Assert.Equal(0, log.Dropped);
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"Only {log.Written} of {count} scans were written within 30 s.");
        }
        Assert.Equal(count, log.Written);
    }
}

/// <summary>
/// Issue 15, end to end over TCP: an outsider cannot make a genuine label suspicious by claiming
/// provinces or by repeating requests from one client; many distinct clients (networks) can, and
/// so can attested inspector checks far apart — the clone signals the service is built to give.
/// </summary>
public sealed class CloneSignalsOverTheNetworkTests : IAsyncLifetime
{
    private readonly LiveVerificationApp _app = new();
    private TestProducer _producer = null!;
    private string _gtin = "";

    public async ValueTask InitializeAsync()
    {
        _producer = await _app.NewProducerAsync();
        _gtin = await _producer.ProductAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A fresh lot with one issued, signed serial; the link is on the public base URL, its path and query are fetched from the real port.</summary>
    private async Task<string> SignedLinkAsync(string lot)
    {
        await _producer.LotAsync(_gtin, lot);
        var link = (await _producer.SerialsAsync(_gtin, lot, 1))[0];
        Assert.StartsWith(VerificationApp.BaseUrl + "/01/", link);
        Assert.Contains("?sig=", link);
        return link;
    }

    private static async Task<JsonObject?> GetAsync(HttpClient client, string link, string accept, string? province = null)
    {
        var target = link[VerificationApp.BaseUrl.Length..] + (province is null ? "" : "&province=" + Uri.EscapeDataString(province));
        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return accept == "application/json" ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
    }

    private static string ReasonMessage(JsonObject result, string code) =>
        (string)result["reasons"]!.AsArray().Single(r => (string)r!["code"]! == code)!["message"]!;

    [Fact]
    public async Task Claimed_provinces_and_one_busy_client_leave_a_genuine_label_authentic_but_many_networks_make_it_suspicious()
    {
        var link = await SignedLinkAsync("NET-1");
        var written = _app.Service<ScanLog>().Written;
        using var shopper = _app.ClientWithKey(null);

        // 50 anonymous lookups of the page and the JSON, claiming provinces 1,500 km apart in turn.
        for (var i = 0; i < 50; i++)
        {
            var json = await GetAsync(shopper, link, i % 4 < 2 ? "application/json" : "text/html", i % 2 == 0 ? "Hà Giang" : "Cà Mau");
            if (json is not null) Assert.Equal("authentic", (string?)json["verdict"]);
        }
        await _app.ScansWrittenAsync(written += 50);

        // 100 verifies from the same client, with the same claims.
        for (var i = 0; i < 100; i++)
            Assert.Equal("authentic", (await shopper.VerifyAsync(link, i % 2 == 0 ? "Hà Giang" : "Cà Mau")).Verdict());
        await _app.ScansWrittenAsync(written += 100);

        var still = await shopper.VerifyAsync(link, "Cà Mau");
        Assert.Equal("authentic", still.Verdict());
        Assert.Equal("verified", (string?)still["assurance"]);
        Assert.Equal(["signature_valid", "registered"], still.ReasonCodes());
        Assert.Equal("authentic", (string?)(await GetAsync(shopper, link, "application/json"))!["verdict"]);
        written += 2;

        // 25 clients on 25 different /24 networks (127.1.0.1 … 127.25.0.1) look the label up once each.
        for (var n = 1; n <= 25; n++)
        {
            using var client = _app.ClientFrom(IPAddress.Parse($"127.{n}.0.1"));
            await GetAsync(client, link, "text/html");
        }
        await _app.ScansWrittenAsync(written += 25);

        var verdict = await shopper.VerifyAsync(link);
        Assert.Equal("suspicious", verdict.Verdict());
        Assert.Equal("unverified", (string?)verdict["assurance"]);
        Assert.Contains("too_many_scans", verdict.ReasonCodes());
        Assert.DoesNotContain("impossible_travel", verdict.ReasonCodes());
        // 127.0.0.0/24 (the shopper: 150 requests) and the 25 others: 26 clients, one more for nothing.
        Assert.Contains("26 thiết bị", ReasonMessage(verdict, "too_many_scans"));
        // The page's JSON tells the same.
        var page = (await GetAsync(shopper, link, "application/json"))!;
        Assert.Equal("suspicious", (string?)page["verdict"]);
        Assert.Equal("unverified", (string?)page["assurance"]);
    }

    [Fact]
    public async Task Many_clients_on_one_network_count_once()
    {
        var link = await SignedLinkAsync("NET-2");
        var written = _app.Service<ScanLog>().Written;
        // 25 addresses of one /24 (a shop's or a carrier's NAT pool), same browser: one client.
        for (var n = 2; n <= 26; n++)
        {
            using var client = _app.ClientFrom(IPAddress.Parse($"127.0.7.{n}"));
            await GetAsync(client, link, "application/json");
        }
        await _app.ScansWrittenAsync(written + 25);
        Assert.Equal("authentic", (await _app.ClientWithKey(null).VerifyAsync(link)).Verdict());
    }

    [Fact]
    public async Task Inspector_checks_in_Ha_Noi_and_Ca_Mau_40_minutes_apart_are_impossible_travel_and_never_count_as_consumer_scans()
    {
        var link = await SignedLinkAsync("NET-3");
        var written = _app.Service<ScanLog>().Written;
        var key = await _app.NewInspectorKeyAsync();

        // 25 inspectors' checks in Hà Nội (GPS), from 25 networks: attested, and not consumer scans.
        for (var n = 1; n <= 25; n++)
        {
            using var inspector = _app.ClientFrom(IPAddress.Parse($"127.{100 + n}.0.1"), key);
            var response = await inspector.PostAsJsonAsync("/api/v1/verify", new { code = link, latitude = 21.03, longitude = 105.85 });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("authentic", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["verdict"]);
        }
        await _app.ScansWrittenAsync(written += 25);

        // Anonymous claims in between say nothing.
        Assert.Equal("authentic", (await _app.ClientWithKey(null).VerifyAsync(link, "Cà Mau")).Verdict());
        await _app.ScansWrittenAsync(written += 1);

        // 40 minutes later an inspector checks it in Cà Mau (GPS), ~1,330 km away.
        _app.Time.Advance(TimeSpan.FromMinutes(40));
        using var second = _app.ClientWithKey(key);
        var far = await second.PostAsJsonAsync("/api/v1/verify", new { code = link, latitude = 9.18, longitude = 105.15 });
        Assert.Equal(HttpStatusCode.OK, far.StatusCode);
        var result = (await far.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("suspicious", result.Verdict());
        Assert.Equal(["signature_valid", "impossible_travel"], result.ReasonCodes());
        var message = ReasonMessage(result, "impossible_travel");
        Assert.Contains("Hà Nội", message);
        Assert.Contains("Cà Mau", message);
        // The inspector's summary: 27 scans, 26 of them attested, one consumer client.
        var scans = result["inspection"]!["scans"]!;
        Assert.Equal(27, (int)scans["total"]!);
        Assert.Equal(26, (int)scans["attested"]!);
        Assert.Equal(1, (int)scans["distinctClients"]!);
    }
}
