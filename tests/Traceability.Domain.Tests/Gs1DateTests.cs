using Traceability.Domain.DigitalLinks;

namespace Traceability.Domain.Tests;

/// <summary>GS1 dates (YYMMDD) and the century rule of GS1 General Specifications 7.12.</summary>
public sealed class Gs1DateTests
{
    [Theory]
    // B = YY - current YY: 51..99 → previous century, -99..-50 → next century, otherwise this one.
    [InlineData("261231", 2026, "2026-12-31")]
    [InlineData("760101", 2026, "2076-01-01")] // B = 50: still this century (50 years ahead)
    [InlineData("770101", 2026, "1977-01-01")] // B = 51: the previous century (49 years back)
    [InlineData("990101", 2026, "1999-01-01")]
    [InlineData("000101", 2026, "2000-01-01")]
    [InlineData("500101", 2099, "2050-01-01")] // B = -49: this century
    [InlineData("490101", 2099, "2149-01-01")] // B = -50: the next century
    [InlineData("000101", 2099, "2100-01-01")]
    [InlineData("990101", 2100, "2099-01-01")] // B = 99
    [InlineData("260200", 2026, "2026-02-28")] // DD 00: the month's last day
    [InlineData("280200", 2026, "2028-02-29")]
    public void The_century_follows_GS1_and_DD_00_is_the_last_day(string yymmdd, int currentYear, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ScannedCode.Gs1Date(yymmdd, currentYear));

    [Theory]
    [InlineData("261301")]
    [InlineData("260001")]
    [InlineData("260230")]
    [InlineData("26123")]
    [InlineData("26-231")]
    public void Impossible_dates_are_null(string yymmdd) => Assert.Null(ScannedCode.Gs1Date(yymmdd, 2026));

    [Fact]
    public void Every_year_lies_within_49_years_back_and_50_ahead()
    {
        foreach (var current in new[] { 1999, 2000, 2026, 2049, 2050, 2051, 2099, 2100 })
        {
            for (var yy = 0; yy < 100; yy++)
            {
                var year = ScannedCode.Gs1Date($"{yy:D2}0101", current)!.Value.Year;
                Assert.InRange(year, current - 49, current + 50);
                Assert.Equal(yy, year % 100);
            }
        }
    }

    [Fact]
    public void A_scanned_expiry_uses_the_rule()
    {
        Assert.True(ScannedCode.TryParse("(01)08936001000010(17)261231(10)L1", out var code, out _));
        Assert.Equal(new DateOnly(2026, 12, 31), code.Expiry);
    }
}
