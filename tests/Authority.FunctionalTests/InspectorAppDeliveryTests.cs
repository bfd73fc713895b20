using System.IO.Compression;

namespace Traceability.Authority.FunctionalTests;

/// <summary>Issue 21 (13): the inspector app's first load travels compressed, under 150 KB on the wire.</summary>
public sealed partial class InspectorAppDeliveryTests(AuthorityApp app) : IClassFixture<AuthorityApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpResponseMessage> GetAsync(string path, string? acceptEncoding, string? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return await app.CreateClient().SendAsync(request, Ct); // the test client never decompresses: these are the wire bytes
    }

    [GeneratedRegex("""(?:src|href)="(/inspect/[^"]+)""")]
    private static partial Regex Reference();

    [Fact]
    public async Task The_first_load_is_under_150_KB_compressed()
    {
        var index = await GetAsync("/inspect/", "gzip, deflate, br");
        var html = await Decode(index);
        var files = Reference().Matches(html).Select(m => m.Groups[1].Value).Append("/inspect/sw.js").Distinct().ToList();
        Assert.Contains("/inspect/app.js", files);
        long wire = (await index.Content.ReadAsByteArrayAsync(Ct)).Length, plain = html.Length;
        foreach (var file in files)
        {
            var response = await GetAsync(file, "gzip, deflate, br");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            wire += (await response.Content.ReadAsByteArrayAsync(Ct)).Length;
            plain += (await Decode(response)).Length;
        }
        Assert.True(wire < 150 * 1024, $"first load {wire:N0} bytes compressed ({plain:N0} uncompressed)");
        Assert.True(plain > 3 * wire, $"{plain:N0} uncompressed vs {wire:N0} sent: not compressed");
    }

    [Theory]
    [InlineData("br, gzip", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("gzip;q=0, br", "br")]
    [InlineData("identity", null)]
    [InlineData(null, null)]
    public async Task The_bundle_comes_in_the_encoding_the_browser_accepts_and_revalidates_by_its_own_etag(string? accept, string? expected)
    {
        var response = await GetAsync("/inspect/app.js", accept);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected is null ? [] : [expected], response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        var plain = await GetAsync("/inspect/app.js", null);
        Assert.Equal(await plain.Content.ReadAsStringAsync(Ct), await Decode(response));

        var etag = response.Headers.ETag!.Tag;
        Assert.Equal(HttpStatusCode.NotModified, (await GetAsync("/inspect/app.js", accept, etag)).StatusCode);
        if (expected is not null) // another encoding's tag is another representation
            Assert.Equal(HttpStatusCode.OK, (await GetAsync("/inspect/app.js", null, etag)).StatusCode);
    }

    private static async Task<string> Decode(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStreamAsync();
        using Stream decoded = response.Content.Headers.ContentEncoding.SingleOrDefault() switch
        {
            "br" => new BrotliStream(body, CompressionMode.Decompress),
            "gzip" => new GZipStream(body, CompressionMode.Decompress),
            _ => body,
        };
        using var reader = new StreamReader(decoded);
        return await reader.ReadToEndAsync();
    }
}
