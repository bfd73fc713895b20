using Microsoft.Extensions.Options;
using Traceability.Lookup.Api.Qr;

namespace Traceability.Lookup.Tests;

/// <summary>
/// Issue 16: the anonymous decoder reads an image's header before its pixels and refuses more than
/// Lookup:MaxDecodePixels (413), and decodes only Lookup:MaxConcurrentDecodes at once with
/// Lookup:DecodeQueueLength waiting (503 with Retry-After beyond), each on a real host.
/// </summary>
public sealed class QrGuardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpResponseMessage> PostAsync(LookupHost host, byte[] image)
    {
        var content = new ByteArrayContent(image);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("image/png");
        return await host.Client.PostAsync("/api/v1/qr/decode", content, Ct);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Four_png_bombs_of_30000_by_30000_pixels_at_once_are_refused_413_from_their_headers()
    {
        await using var host = await LookupHost.StartAsync();
        var bomb = ImageBomb.Png(30_000, 30_000);
        Assert.InRange(bomb.Length, 1, 200 * 1024); // small on the wire: the byte limit alone lets it in

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostAsync(host, bomb)));

        foreach (var response in responses)
        {
            await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
            Assert.Contains("40 megapixel", json.GetProperty("errors").GetProperty("image")[0].GetString());
        }
    }

    [Fact]
    public async Task The_pixel_limit_is_the_configured_one_and_an_image_within_it_decodes()
    {
        await using var host = await LookupHost.StartAsync(b => b.Configuration["Lookup:MaxDecodePixels"] = "250000");
        var within = QrImages.Png("https://example.com/nho", 480); // ≤ 480 × 480 = 230,400 px
        var over = QrImages.Png("https://example.com/lon", 640); // > 500 × 500

        var ok = await PostAsync(host, within);
        var refused = await PostAsync(host, over);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        await AssertProblemAsync(refused, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Beyond_the_running_decodes_and_the_queue_requests_get_503_with_retry_after_and_the_queued_one_decodes()
    {
        await using var host = await LookupHost.StartAsync(b =>
        {
            b.Configuration["Lookup:MaxConcurrentDecodes"] = "1";
            b.Configuration["Lookup:DecodeQueueLength"] = "1";
        });
        var gate = host.Services.GetRequiredService<QrDecodeGate>();
        var png = QrImages.Png("https://example.com/hang-doi", 300);

        var running = await gate.EnterAsync(Ct); // stands in for a decode that takes long
        Assert.True(running.IsAcquired);
        var queued = PostAsync(host, png);
        for (var i = 0; gate.Queued < 1 && i < 500; i++) await Task.Delay(20, Ct);
        Assert.Equal(1, gate.Queued);

        var refused = await PostAsync(host, png);
        var bomb = await PostAsync(host, ImageBomb.Png(30_000, 30_000)); // refused from its header, no slot needed
        Assert.False(queued.IsCompleted);
        running.Dispose();
        var decoded = await queued;

        await AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        await AssertProblemAsync(bomb, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(HttpStatusCode.OK, decoded.StatusCode);
        Assert.Equal("https://example.com/hang-doi", JsonDocument.Parse(await decoded.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("Lookup:MaxConcurrentDecodes", "0")]
    [InlineData("Lookup:DecodeQueueLength", "-1")]
    [InlineData("Lookup:MaxDecodePixels", "100")]
    public async Task Out_of_range_decode_limits_stop_the_host_at_start_naming_the_key(string key, string value)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var host = await LookupHost.StartAsync(b => b.Configuration[key] = value);
        });

        Assert.Contains(key.Split(':')[1], ex.Message);
    }
}
