using Traceability.Storage;

namespace Traceability.Storage.Tests;

public sealed class LotKeyTests
{
    [Theory]
    [InlineData("08936001000010", "CS-2611A")]
    [InlineData("08936001000010", "LÔ 1/2")]   // escaped in the key, and back
    [InlineData("08936001000010", "50%")]
    public void A_key_parses_back_into_its_gtin_and_lot(string gtin, string lot)
    {
        Assert.True(LotKey.TryParse(LotKey.Of(gtin, lot), out var g, out var l));
        Assert.Equal((gtin, lot), (g, l));
        Assert.Equal(gtin, LotKey.GtinOf(LotKey.Of(gtin, lot)));
    }

    [Fact]
    public void A_serial_key_gives_its_lot()
    {
        Assert.True(LotKey.TryParse(LotKey.Of("08936001000010", "A1") + "/21/XYZ", out _, out var lot));
        Assert.Equal("A1", lot);
    }

    [Theory]
    [InlineData("01/08936001000010")]
    [InlineData("01/08936001000010/10/")]
    [InlineData("01/0893600100001X/10/A")]
    [InlineData("02/08936001000010/10/A")]
    [InlineData("01/08936001000010/21/A")]
    public void Anything_else_is_not_a_lot_key(string key) => Assert.False(LotKey.TryParse(key, out _, out _));
}
