namespace Traceability.Domain.Tests;

public class CbvTests
{
    [Theory]
    [InlineData("shipping")]
    [InlineData("cbv:shipping")]
    [InlineData("cbv:BizStep-shipping")]
    [InlineData("https://ref.gs1.org/cbv/BizStep-shipping")]
    [InlineData("https://gs1.org/voc/BizStep-shipping")]
    [InlineData("urn:epcglobal:cbv:bizstep:shipping")]
    public void Bare_and_full_bizStep_forms_normalise_to_the_bare_term(string value)
    {
        Assert.True(Cbv.TryNormalizeBizStep(value, out var term));
        Assert.Equal("shipping", term);
        Assert.Equal("https://ref.gs1.org/cbv/BizStep-shipping", Cbv.ExpandBizStep(value));
    }

    [Theory]
    [InlineData("in_transit")]
    [InlineData("https://ref.gs1.org/cbv/Disp-in_transit")]
    [InlineData("urn:epcglobal:cbv:disp:in_transit")]
    public void Disposition_forms_normalise_to_the_bare_term(string value)
    {
        Assert.True(Cbv.TryNormalizeDisposition(value, out var term));
        Assert.Equal("in_transit", term);
    }

    [Theory]
    [InlineData("shiping")]
    [InlineData("https://ref.gs1.org/cbv/BizStep-flying")]
    [InlineData("urn:epcglobal:cbv:bizstep:flying")]
    public void Unknown_cbv_terms_are_rejected(string value) =>
        Assert.False(Cbv.TryNormalizeBizStep(value, out _));

    [Fact]
    public void Custom_uris_are_kept_unchanged()
    {
        const string custom = "https://example.vn/voc/bizstep/drying";
        Assert.True(Cbv.TryNormalizeBizStep(custom, out var value));
        Assert.Equal(custom, value);
        Assert.Equal(custom, Cbv.ExpandBizStep(custom));
    }

    [Fact]
    public void Vocabularies_list_the_cbv_terms_the_design_uses()
    {
        foreach (var step in (string[])["commissioning", "packing", "shipping", "receiving", "storing", "retail_selling"])
            Assert.Contains(step, Cbv.BizSteps);
        Assert.Contains("recalled", Cbv.Dispositions);
    }
}
