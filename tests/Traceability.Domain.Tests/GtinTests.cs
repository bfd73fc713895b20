using Traceability.Domain.Gs1;

namespace Traceability.Domain.Tests;

public class GtinTests
{
    [Theory]
    [InlineData("8934567890120", "08934567890120")]   // GTIN-13
    [InlineData("96385074", "00000096385074")]        // GTIN-8
    [InlineData("036000291452", "00036000291452")]    // GTIN-12
    [InlineData("09506000134352", "09506000134352")]  // GTIN-14
    public void Valid_gtins_normalise_to_14_digits(string text, string expected)
    {
        Assert.True(Gtin.TryParse(text, out var gtin, out var error), error);
        Assert.Equal(expected, gtin.Value);
    }

    [Theory]
    [InlineData("8934567890125", "check digit")]
    [InlineData("893456789012", "check digit")]
    [InlineData("89345678901", "8, 12, 13 or 14")]
    [InlineData("89345678901A8", "digits only")]
    [InlineData("", "missing")]
    public void Invalid_gtins_are_rejected_with_a_reason(string text, string reason)
    {
        Assert.False(Gtin.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Company_prefix_is_read_after_the_indicator_digit()
    {
        var gtin = Gtin.Parse("8934567890120");
        Assert.True(gtin.HasCompanyPrefix("893456"));
        Assert.False(gtin.HasCompanyPrefix("893457"));
    }

    [Theory]
    [InlineData("LOT-2026/01", true)]
    [InlineData("ABCDEFGHIJKLMNOPQRST", true)]
    [InlineData("ABCDEFGHIJKLMNOPQRSTU", false)]
    [InlineData("LÔ1", false)]
    [InlineData("A B", false)]
    [InlineData("A#B", false)]
    public void Lot_syntax_follows_ai_10(string lot, bool valid) =>
        Assert.Equal(valid, Gs1Syntax.IsValidLot(lot, out _));
}
