namespace Traceability.Domain.Tests;

public class EpcIdentifierTests
{
    [Theory]
    [InlineData("urn:epc:id:sgtin:0614141.107346.2017", "01/10614141073464/21/2017")]
    [InlineData("urn:epc:class:lgtin:4054739.099914.20160711", "01/04054739999148/10/20160711")]
    [InlineData("urn:epc:idpat:sgtin:4012345.066666.*", "01/04012345666663")]
    [InlineData("urn:epc:id:sscc:5200001.0111111146", "00/052000011111111461")]
    [InlineData("urn:epc:id:sgln:4012345.00000.5", "414/4012345000009/254/5")]
    [InlineData("urn:epc:id:sgln:4012345.00012.0", "414/4012345000122")]
    [InlineData("urn:epc:id:pgln:4000001.98765", "417/4000001987658")]
    [InlineData("urn:epc:id:giai:4000001.111", "8004/4000001111")]
    [InlineData("urn:epc:id:grai:4012345.00001.ABC", "8003/04012345000016ABC")]
    [InlineData("urn:epc:id:gdti:4012345.55555.1234", "253/40123455555541234")]
    [InlineData("urn:epc:class:lgtin:893456.0789012.LOT%2F01", "01/08934567890120/10/LOT%2F01")]
    public void Epc_urns_become_digital_link_paths(string urn, string key)
    {
        Assert.True(EpcIdentifier.TryToKey(urn, out var actual, out var error), error);
        Assert.Equal(key, actual);
    }

    [Theory]
    [InlineData("https://id.gs1.org/01/09506000134352/10/LOT1/21/1234", "01/09506000134352/10/LOT1/21/1234")]
    [InlineData("https://shop.example.vn/p/01/9506000134352/21/1234?17=261231", "01/09506000134352/21/1234")]
    [InlineData("https://example.com/00/052000011111111461", "00/052000011111111461")]
    [InlineData("https://id.gs1.org/414/4012345000009/254/5", "414/4012345000009/254/5")]
    public void Digital_links_on_any_host_become_paths_without_host(string link, string key)
    {
        Assert.True(EpcIdentifier.TryToKey(link, out var actual, out var error), error);
        Assert.Equal(key, actual);
    }

    [Theory]
    [InlineData("https://id.gs1.org/01/09506000134353/21/1", "check digit")]
    [InlineData("https://id.gs1.org/01/09506000134352/10/L%C3%941", "not allowed")]
    [InlineData("https://id.gs1.org/01/09506000134352/10/ABCDEFGHIJKLMNOPQRSTU", "at most 20")]
    [InlineData("urn:epc:id:sgtin:0614141.10734.2017", "13 digits")]
    [InlineData("urn:epc:id:foo:1.2", "not supported")]
    [InlineData("urn:uuid:0f6f8d1c-0000-4000-8000-000000000000", "private identifier")]
    [InlineData("https://example.com/products/42", "primary key")]
    [InlineData("", "empty")]
    public void Invalid_identifiers_are_rejected_with_a_reason(string text, string reason)
    {
        Assert.False(EpcIdentifier.TryToKey(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Serial_with_lot_gives_the_lot_key_and_a_hash_uri_of_the_finest_level()
    {
        Assert.True(EpcIdentifier.TryParse("https://example.com/01/09506000134352/10/L1/21/S1", out var id, out _));
        Assert.Equal("01/09506000134352/10/L1", id.LotKey);
        Assert.Equal("09506000134352", id.Gtin?.Value);
        Assert.Equal("https://id.gs1.org/01/09506000134352/21/S1", id.HashUri);
    }

    [Fact]
    public void A_private_urn_class_is_refused_as_outside_what_may_be_captured_here_not_as_invalid()
    {
        Assert.False(EpcIdentifier.TryParse("urn:gdst:example.org:product:class:processor.1k2k.tuna", out _, out var error));
        Assert.Contains("private identifier", error);
        Assert.Contains("EPCIS allows it", error);
        Assert.DoesNotContain("not valid", error);
    }
}
