using NJsonSchema;
using static Traceability.Lookup.Tests.Infrastructure.TestData;

namespace Traceability.Lookup.Tests;

/// <summary>The linkset and the resolver description validate against the GS1 resolver schemas (copies in Schemas/).</summary>
public sealed class LinksetTests(SeededHost fixture) : IClassFixture<SeededHost>
{
    private static async Task<ICollection<NJsonSchema.Validation.ValidationError>> ValidateAsync(string schemaFile, string json)
    {
        var schema = await JsonSchema.FromJsonAsync(await File.ReadAllTextAsync(System.IO.Path.Combine(AppContext.BaseDirectory, "Schemas", schemaFile)));
        return schema.Validate(json);
    }

    private async Task<(HttpResponseMessage, string)> GetAsync(string url, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        var response = await fixture.Client.SendAsync(request, TestContext.Current.CancellationToken);
        return (response, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("?linkType=linkset", null)]
    [InlineData("?linkType=all", null)]
    [InlineData("", "application/linkset+json")]
    public async Task Linkset_validates_against_the_gs1_schema(string query, string? accept)
    {
        var (response, body) = await GetAsync(Path(OrangeGtin, OrangeLot) + query, accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/linkset+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await ValidateAsync("gs1-linkset-schema.json", body));
    }

    [Fact]
    public async Task Linkset_has_pip_traceability_and_certification_links()
    {
        var (_, body) = await GetAsync(Path(OrangeGtin, OrangeLot) + "?linkType=linkset");
        var context = JsonDocument.Parse(body).RootElement.GetProperty("linkset")[0];

        var pip = context.GetProperty("https://ref.gs1.org/voc/pip").EnumerateArray().ToList();
        Assert.Equal(["vi", "en"], pip.Select(l => l.GetProperty("hreflang")[0].GetString()));
        Assert.EndsWith("?format=json", context.GetProperty("https://ref.gs1.org/voc/traceability")[0].GetProperty("href").GetString());
        Assert.Contains("VietGAP", context.GetProperty("https://ref.gs1.org/voc/certificationInfo")[0].GetProperty("title").GetString());
        // The default link carries no optional attributes: href and title only.
        var defaultLink = context.GetProperty("https://ref.gs1.org/voc/defaultLink").EnumerateArray().Single();
        Assert.Equal(["href", "title"], defaultLink.EnumerateObject().Select(p => p.Name));
        // …and is also described by a descriptive link type: it is the Vietnamese product information page.
        Assert.Equal(pip[0].GetProperty("href").GetString(), defaultLink.GetProperty("href").GetString());
    }

    [Fact]
    public async Task Linkset_of_a_serial_has_the_links_of_every_level_up_to_the_gtin()
    {
        var serial = Path(OrangeGtin, OrangeLot) + "/21/ABC123";
        var (response, body) = await GetAsync(serial + "?linkType=linkset");
        var anchors = JsonDocument.Parse(body).RootElement.GetProperty("linkset").EnumerateArray().Select(c => c.GetProperty("anchor").GetString());

        var root = fixture.Host.BaseUrl.TrimEnd('/');
        Assert.Equal([root + serial, root + Path(OrangeGtin, OrangeLot), root + $"/01/{OrangeGtin}"], anchors);
        Assert.Empty(await ValidateAsync("gs1-linkset-schema.json", body));
        Assert.Contains("rel=\"http://www.w3.org/ns/json-ld#context\"", response.Headers.GetValues("Link").Single());
    }

    [Fact]
    public async Task Schema_check_really_rejects_a_broken_linkset()
    {
        // Guards the test above: the validator must see the schema's rules.
        var errors = await ValidateAsync("gs1-linkset-schema.json", """{"linkset":[{"anchor":"https://x.vn/01/1","gs1:pip":[{"href":"x"}]}]}""");
        Assert.NotEmpty(errors);
    }

    [Fact]
    public async Task Resolver_description_file_validates_against_the_gs1_schema()
    {
        var (response, body) = await GetAsync("/.well-known/gs1resolver");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await ValidateAsync("description-file-schema.json", body));
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal(fixture.Host.BaseUrl.TrimEnd('/'), root.GetProperty("resolverRoot").GetString());
        Assert.Equal("01", root.GetProperty("supportedPrimaryKeys")[0].GetString());
        Assert.Equal("https://ref.gs1.org/standards/resolver/linkset-context", root.GetProperty("jsonLdContextLocation").GetString());
    }
}
