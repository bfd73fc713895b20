using System.Diagnostics;
using static Traceability.Lookup.Tests.Infrastructure.TestData;

namespace Traceability.Lookup.Tests;

public sealed class QrTests(SeededHost fixture) : IClassFixture<SeededHost>
{
    private const string Convert = "/usr/bin/convert"; // ImageMagick by absolute path: a `convert` earlier on PATH may be a stand-in that is not ImageMagick
    private HttpClient Client => fixture.Client;
    private string BaseUrl => fixture.Host.BaseUrl.TrimEnd('/');
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<byte[]> QrAsync(string path, string query = "")
    {
        var response = await Client.GetAsync("/qr" + path + query, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    private async Task<(HttpResponseMessage Response, JsonElement Json)> DecodeAsync(byte[] image, string contentType = "image/png", bool multipart = true)
    {
        HttpContent content;
        if (multipart)
        {
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(image);
            file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            form.Add(file, "image", "photo");
            content = form;
        }
        else
        {
            content = new ByteArrayContent(image);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        var response = await Client.PostAsync("/api/v1/qr/decode", content, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static async Task<byte[]> ImageMagickAsync(byte[] input, string inputExt, string args, string outputExt)
    {
        Assert.SkipUnless(File.Exists(Convert), "ImageMagick is not installed (apt-get install imagemagick).");
        var dir = Directory.CreateTempSubdirectory("qr-");
        try
        {
            var src = System.IO.Path.Combine(dir.FullName, "in." + inputExt);
            var dst = System.IO.Path.Combine(dir.FullName, "out." + outputExt);
            await File.WriteAllBytesAsync(src, input, Ct);
            using var p = Process.Start(new ProcessStartInfo(Convert, $"{src} {args} {dst}") { RedirectStandardError = true })!;
            await p.WaitForExitAsync(Ct);
            Assert.True(p.ExitCode == 0, await p.StandardError.ReadToEndAsync(Ct));
            return await File.ReadAllBytesAsync(dst, Ct);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Png_qr_round_trips_through_decode_to_the_canonical_link_which_resolves()
    {
        var png = await QrAsync(Path(OrangeGtin, OrangeLot), "?format=png&size=300");
        var (response, json) = await DecodeAsync(png);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = json.GetProperty("text").GetString()!;
        Assert.Equal(BaseUrl + Path(OrangeGtin, OrangeLot), text);
        Assert.Equal(OrangeGtin, json.GetProperty("digitalLink").GetProperty("gtin").GetString());
        Assert.Equal(OrangeLot, json.GetProperty("digitalLink").GetProperty("lot").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("digitalLink").GetProperty("serial").ValueKind);

        var page = await Client.GetAsync(new Uri(text).PathAndQuery, Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Cam sành Hàm Yên", await page.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Serial_qr_decodes_with_its_serial_as_a_raw_image_body()
    {
        var png = await QrAsync(Path(OrangeGtin, OrangeLot) + "/21/S0001");
        var (response, json) = await DecodeAsync(png, multipart: false);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(BaseUrl + Path(OrangeGtin, OrangeLot) + "/21/S0001", json.GetProperty("text").GetString());
        Assert.Equal("S0001", json.GetProperty("digitalLink").GetProperty("serial").GetString());
    }

    [Fact]
    public async Task Svg_qr_rasterised_decodes_to_the_canonical_link()
    {
        var svg = System.Text.Encoding.UTF8.GetString(await QrAsync(Path(OrangeGtin, OrangeLot), "?format=svg&size=400"));
        Assert.StartsWith("<svg", svg.TrimStart());

        var (response, json) = await DecodeAsync(QrSvg.Rasterise(svg, pixelsPerModule: 8));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(BaseUrl + Path(OrangeGtin, OrangeLot), json.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Photo_like_copy_still_decodes()
    {
        var png = await QrAsync(Path(JuiceGtin, JuiceLot), "?size=600");
        // A phone photo of a printed code, roughly: 25 % scale, 10° rotation, Gaussian noise, JPEG quality 40.
        var jpeg = await ImageMagickAsync(png, "png", "-resize 25% -background white -rotate 10 -attenuate 0.6 +noise Gaussian -quality 40", "jpg");
        var (response, json) = await DecodeAsync(jpeg, "image/jpeg");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(BaseUrl + Path(JuiceGtin, JuiceLot), json.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Large_photo_is_downscaled_and_decodes()
    {
        var png = await QrAsync(Path(OrangeGtin, OrangeLot), "?size=400");
        var big = await ImageMagickAsync(png, "png", "-bordercolor white -border 1800 -resize 4000x4000 -quality 80", "jpg");
        var (response, json) = await DecodeAsync(big, "image/jpeg");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(BaseUrl + Path(OrangeGtin, OrangeLot), json.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Qr_formats_and_sizes()
    {
        var png = await Client.GetAsync($"/qr{Path(OrangeGtin, OrangeLot)}?size=256", Ct);
        var svg = await Client.GetAsync($"/qr{Path(OrangeGtin, OrangeLot)}?format=svg", Ct);

        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        var bytes = await png.Content.ReadAsByteArrayAsync(Ct);
        var width = (bytes[16] << 24) | (bytes[17] << 16) | (bytes[18] << 8) | bytes[19]; // PNG IHDR
        Assert.InRange(width, 200, 256);
    }

    [Theory]
    [InlineData("?size=10")]
    [InlineData("?size=100000")]
    [InlineData("?size=abc")]
    [InlineData("?format=gif")]
    public async Task Qr_rejects_bad_size_or_format(string query)
    {
        var response = await Client.GetAsync($"/qr{Path(OrangeGtin, OrangeLot)}{query}", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Qr_for_unknown_or_malformed_codes_is_refused()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/qr{Path(OrangeGtin, "KHONG-CO")}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync("/qr/01/08930000000014/10/A", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync($"/qr/01/{OrangeGtin}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Decode_of_an_image_without_a_qr_code_is_422()
    {
        var png = await QrAsync(Path(OrangeGtin, OrangeLot));
        var blank = await ImageMagickAsync(png, "png", "-fill white -colorize 100%", "png");
        var (response, json) = await DecodeAsync(blank);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(422, json.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Decode_of_something_that_is_not_an_image_is_415()
    {
        var (asJson, _) = await DecodeAsync("{\"a\":1}"u8.ToArray(), "application/json", multipart: false);
        var (garbage, _) = await DecodeAsync([1, 2, 3, 4, 5, 6, 7, 8], "image/png", multipart: false);
        var (wrongField, _) = await DecodeAsync([], "image/png");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, asJson.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, garbage.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongField.StatusCode);
    }

    [Fact]
    public async Task Decode_of_more_than_10_mb_is_413()
    {
        var (raw, _) = await DecodeAsync(new byte[10 * 1024 * 1024 + 1], "image/jpeg", multipart: false);
        var (form, _) = await DecodeAsync(new byte[10 * 1024 * 1024 + 1], "image/jpeg");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, raw.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, form.StatusCode);
    }

    [Fact]
    public async Task Decoded_text_that_is_not_a_digital_link_has_null_digitalLink()
    {
        var png = Api.Qr.QrImages.Png("https://example.com/hello", 300);
        var (response, json) = await DecodeAsync(png);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://example.com/hello", json.GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("digitalLink").ValueKind);
    }
}
