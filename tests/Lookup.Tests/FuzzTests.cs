using System.Text;
using static Traceability.Lookup.Tests.Infrastructure.TestData;

namespace Traceability.Lookup.Tests;

public sealed class FuzzTests(SeededHost fixture) : IClassFixture<SeededHost>
{
    private const string Alphabet = "0123456789/%ABCDEFZabcdefz-._~!$&'()*+,;=:@? \"<>^`{|}\\[]éệ中\t";
    private static readonly string[] Pieces = ["/01/", "/10/", "/21/", "/22/", "/gtin/", "/lot/", "%2F", "%25", "%00", "%ZZ", "%C3%A9", "%FF",
        "..", "//", "?linkType=", "?17=", "&lang=en", "?format=json", "#", OrangeGtin, OrangeGtin13, OrangeLot, "/qr"];
    private static readonly string[] Accepts = ["text/html", "application/json", "application/linkset+json", "*/*", "image/png", "x/y;q=abc"];

    [Fact]
    public async Task Ten_thousand_random_paths_never_give_a_server_error()
    {
        var random = new Random(20261123);
        var statuses = new Dictionary<HttpStatusCode, int>();
        var sent = 0;
        while (sent < 10_000)
        {
            var path = RandomPath(random);
            if (!Uri.TryCreate(fixture.Host.BaseUrl.TrimEnd('/') + path, UriKind.Absolute, out var uri)) continue;
            using var request = new HttpRequestMessage(random.Next(8) == 0 ? HttpMethod.Head : HttpMethod.Get, uri);
            request.Headers.TryAddWithoutValidation("Accept", Accepts[random.Next(Accepts.Length)]);
            using var response = await fixture.Client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {uri.OriginalString}");
            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            sent++;
        }
        // The fuzzer must reach the interesting answers, not only 400s.
        Assert.Contains(HttpStatusCode.BadRequest, statuses.Keys);
        Assert.Contains(HttpStatusCode.NotFound, statuses.Keys);
        Assert.Contains(HttpStatusCode.OK, statuses.Keys);
    }

    private static string RandomPath(Random random)
    {
        var sb = new StringBuilder(random.Next(3) switch { 0 => "/01/", 1 => "/qr/01/", _ => "/" });
        var parts = random.Next(1, 8);
        for (var i = 0; i < parts; i++)
        {
            if (random.Next(2) == 0) sb.Append(Pieces[random.Next(Pieces.Length)]);
            else
            {
                var n = random.Next(1, 25);
                for (var j = 0; j < n; j++) sb.Append(Alphabet[random.Next(Alphabet.Length)]);
            }
        }
        return sb.ToString();
    }
}
