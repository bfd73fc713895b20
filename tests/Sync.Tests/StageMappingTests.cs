namespace Traceability.Sync.Tests;

/// <summary>The bizStep → congDoan table of services/Sync.Worker/README.md.</summary>
public sealed class StageMappingTests
{
    [Theory]
    [InlineData("commissioning", "growing_area", "vungTrong")]
    [InlineData("commissioning", "farm", "vungTrong")]
    [InlineData("commissioning", "processing", "lenhSanXuat")]
    [InlineData("transforming", "processing", "cheBien")]
    [InlineData("packing", null, "cheBien")]
    [InlineData("shipping", "warehouse", "vanChuyen")]
    [InlineData("transporting", null, "vanChuyen")]
    [InlineData("storing", "warehouse", "khoTong")]
    [InlineData("receiving", "other", "daiLy")]
    [InlineData("receiving", null, "daiLy")]
    [InlineData("receiving", "warehouse", "khoTong")]
    [InlineData("receiving", "store", "cuaHang")]
    [InlineData("retail_selling", "store", "cuaHang")]
    [InlineData("inspecting", "growing_area", "vungTrong")]
    [InlineData(null, null, "cheBien")]
    [InlineData("https://ref.gs1.org/cbv/BizStep-shipping", null, "vanChuyen")]
    [InlineData("urn:epcglobal:cbv:bizstep:receiving", "store", "cuaHang")]
    public void BizStep_and_location_kind_give_the_portal_stage(string? bizStep, string? kind, string stage) =>
        Assert.Equal(stage, StageMapping.For(bizStep, kind));
}
