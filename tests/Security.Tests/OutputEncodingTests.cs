using System.Net.Http.Headers;

namespace Traceability.Security.Tests;

public sealed class OutputEncodingTests(SecurityApp app) : IClassFixture<SecurityApp>
{
    [Fact]
    public async Task A_product_named_like_a_script_renders_as_text_on_the_provenance_page()
    {
        var (_, key, prefix) = await app.RegisterProducerAsync();
        var producer = app.ClientWithKey(key);
        var gtin = SecurityApp.Gtin14(prefix, 7);
        const string Evil = "<script>alert(1)</script>";
        (await producer.PostAsJsonAsync("/api/v1/products", new
        {
            gtin, name = new { vi = Evil, en = Evil }, brand = "<img src=x onerror=alert(2)>",
        })).EnsureSuccessStatusCode();
        (await producer.PostAsJsonAsync("/api/v1/lots", new { gtin, lot = "X1" })).EnsureSuccessStatusCode();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/01/{gtin}/10/X1");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        var response = await app.ClientWithKey(null).SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(Evil, html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.True(response.Headers.Contains("Content-Security-Policy"));
    }
}
