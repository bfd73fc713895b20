namespace Traceability.Domain.Tests;

/// <summary>The 34 provinces in force since 1 July 2025 and where each of the 63 former ones went.</summary>
public class ProvinceMapTests
{
    [Fact]
    public void There_are_34_current_provinces_and_the_63_former_ones_all_map_to_one()
    {
        Assert.Equal(34, ProvinceMap.Current.Count);
        Assert.Equal(34, ProvinceMap.Current.Distinct().Count());
        // The 63 of 2008–2025: the current names less Huế (renamed), plus Thừa Thiên Huế and the merged ones ("Vũng Tàu" is a short form).
        var former = ProvinceMap.Current.Where(c => c != "Huế")
            .Concat(ProvinceMap.Mapping.SelectMany(m => m.Former)).Where(n => n != "Vũng Tàu").ToList();
        Assert.Equal(63, former.Distinct().Count());
        Assert.All(former, name => Assert.Contains(ProvinceMap.CurrentOf(name), ProvinceMap.Current));
    }

    [Theory]
    [InlineData("Hà Giang", "Tuyên Quang")]
    [InlineData("tỉnh Hà Giang", "Tuyên Quang")]
    [InlineData("ha giang", "Tuyên Quang")]
    [InlineData("Bà Rịa - Vũng Tàu", "TP Hồ Chí Minh")]
    [InlineData("Thành phố Hồ Chí Minh", "TP Hồ Chí Minh")]
    [InlineData("Thừa Thiên Huế", "Huế")]
    [InlineData("Nam Định", "Ninh Bình")]
    [InlineData("Lai Châu", "Lai Châu")]
    public void A_name_counts_under_the_province_that_contains_it_today(string name, string current) =>
        Assert.Equal(current, ProvinceMap.CurrentOf(name));

    [Fact]
    public void Only_a_current_province_is_a_choice()
    {
        Assert.Equal("TP Hồ Chí Minh", ProvinceMap.Named("TP HCM"));
        Assert.Equal("Tuyên Quang", ProvinceMap.Named("tuyen quang"));
        Assert.Null(ProvinceMap.Named("Hà Giang"));
        Assert.Null(ProvinceMap.CurrentOf("Atlantis"));
        Assert.Null(ProvinceMap.CurrentOf(null));
    }
}
