namespace Traceability.Ingestion.FunctionalTests;

/// <summary>
/// Issue 5's round trip over the demo data set the standalone host seeds: for every demo lot, the
/// PNG and the SVG from <c>/qr/…</c> decode, through the decode endpoint, to exactly the lot's
/// canonical Digital Link, and that link resolves to the lot's page.
/// </summary>
public sealed class DemoQrRoundTripTests
{
    private const string PublicBaseUrl = "https://truyxuat.example.vn";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_demo_lots_png_and_svg_qr_decode_to_its_canonical_link_which_resolves_to_its_page()
    {
        await using var app = new TraceabilityApp
        {
            Settings = new Dictionary<string, string> { ["Demo:Seed"] = "true", ["Lookup:PublicBaseUrl"] = PublicBaseUrl },
        };
        var anonymous = app.CreateClient();
        var lots = new List<(string Gtin, string Lot)>();
        // demo-keys.txt: one "name<TAB>id<TAB>key" line per demo account; producers' ids start with "p_".
        foreach (var account in File.ReadAllLines(Path.Combine(app.DataDirectory, "demo-keys.txt")).Select(l => l.Split('\t')))
        {
            if (!account[1].StartsWith("p_", StringComparison.Ordinal)) continue;
            var listed = await app.ClientWithKey(account[2]).GetFromJsonAsync<JsonArray>("/api/v1/lots", Ct);
            lots.AddRange(listed!.Select(l => ((string)l!["gtin"]!, (string)l["lot"]!)));
        }
        Assert.True(lots.Count >= 5, $"the demo data set has {lots.Count} lots");

        foreach (var (gtin, lot) in lots)
        {
            var path = $"/01/{gtin}/10/{Uri.EscapeDataString(lot)}";
            var png = await anonymous.GetByteArrayAsync($"/qr{path}?format=png&size=300", Ct);
            var svg = await anonymous.GetStringAsync($"/qr{path}?format=svg&size=300", Ct);
            foreach (var (format, image) in new[] { ("png", png), ("svg", QrSvg.Rasterise(svg, pixelsPerModule: 8)) })
                Assert.Equal((format, PublicBaseUrl + path), (format, await DecodeAsync(anonymous, image)));

            var page = new HttpRequestMessage(HttpMethod.Get, path);
            page.Headers.Accept.ParseAdd("text/html");
            var response = await anonymous.SendAsync(page, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(lot, await response.Content.ReadAsStringAsync(Ct));
        }
    }

    private static async Task<string?> DecodeAsync(HttpClient client, byte[] png)
    {
        var image = new ByteArrayContent(png);
        image.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var form = new MultipartFormDataContent { { image, "image", "label.png" } };
        var response = await client.PostAsync("/api/v1/qr/decode", form, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["text"];
    }
}
