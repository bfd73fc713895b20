using Traceability.Domain.DigitalLinks;
using Traceability.Domain.Verification;
using Traceability.Lookup.Api.Verification;

namespace Traceability.Verification.Tests;

public sealed class ScannedCodeTests
{
    private const string Gtin = "08936004000017";

    [Theory]
    [InlineData("https://id.gs1.org/01/08936004000017/10/SLC-2610-07/21/ABC", "SLC-2610-07", "ABC")]
    [InlineData("http://shop.example.com/some/prefix/01/08936004000017/10/SLC-2610-07", "SLC-2610-07", null)]
    [InlineData("(01)08936004000017(10)SLC-2610-07(21)ABC", "SLC-2610-07", "ABC")]
    [InlineData("]d2010893600400001710SLC-2610-07\u001d21ABC", "SLC-2610-07", "ABC")]
    [InlineData("01089360040000171726123110SLC-2610-07", "SLC-2610-07", null)]
    [InlineData("8936004000017", null, null)]
    public void Parses_links_element_strings_and_bare_GTINs(string text, string? lot, string? serial)
    {
        Assert.True(ScannedCode.TryParse(text, out var code, out var error), error);
        Assert.Equal(Gtin, code.Gtin.Value);
        Assert.Equal(lot, code.Lot);
        Assert.Equal(serial, code.Serial);
    }

    [Fact]
    public void Reads_the_expiry_date_of_an_element_string_with_day_00_as_the_last_day_of_the_month()
    {
        Assert.True(ScannedCode.TryParse("(01)08936004000017(17)270200(10)A", out var code, out _));
        Assert.Equal(new DateOnly(2027, 2, 28), code.Expiry);
    }

    [Theory]
    [InlineData("(01)08936004000018")]
    [InlineData("(01)08936004000017(10)")]
    [InlineData("(01)08936004000017(10)A(10)B")]
    [InlineData("(01)08936004000017(10)lô")]
    [InlineData("not a code")]
    public void Rejects_malformed_codes_with_a_reason(string text)
    {
        Assert.False(ScannedCode.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}

public sealed class ProvinceTests
{
    [Theory]
    [InlineData("Hà Nội", "Hà Nội")]
    [InlineData("ha noi", "Hà Nội")]
    [InlineData("Thành phố Hồ Chí Minh", "TP Hồ Chí Minh")]
    [InlineData("TP.HCM", "TP Hồ Chí Minh")]
    [InlineData("Tỉnh Lai Châu", "Lai Châu")]
    [InlineData("DAK LAK", "Đắk Lắk")]
    public void Finds_provinces_without_diacritics_case_or_prefix(string input, string expected) =>
        Assert.Equal(expected, Provinces.Find(input)?.Name);

    [Fact]
    public void Knows_all_63_provinces_and_nothing_else() // the 34 merged provinces keep one of these names
    {
        Assert.Equal(63, Provinces.Count);
        Assert.Null(Provinces.Find("Bangkok"));
    }

    [Fact]
    public void Ha_Noi_to_Ho_Chi_Minh_City_is_about_1140_km() =>
        Assert.InRange(Provinces.DistanceKm(21.028, 105.854, 10.776, 106.700), 1130, 1150);
}

public sealed class CloneDetectorTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 20, 3, 0, 0, TimeSpan.Zero);

    /// <summary>An inspector's attested scan (only attested places count for travel).</summary>
    private static ScanRecord Scan(double hoursAgo, string? province) =>
        new(T.AddHours(-hoursAgo), "01/08936004000017/10/A", "S", province, "verify", null, ScanSources.Inspector, Attested: province is not null);

    private static ScanRecord Consumer(string? client, string? province = null) =>
        new(T, "01/08936004000017/10/A", "S", province, "mobile", client);

    [Fact]
    public void Claimed_provinces_never_make_travel_impossible()
    {
        var claimed = Enumerable.Range(0, 50).Select(i => Consumer("c1", i % 2 == 0 ? "Hà Giang" : "Cà Mau") with { Time = T.AddMinutes(i) }).ToList();
        Assert.Empty(CloneDetector.Signals(claimed, new VerifyOptions(), null, null));
    }

    [Fact]
    public void Too_many_scans_counts_distinct_consumer_clients_not_requests()
    {
        var options = new VerifyOptions { MaxScansPerSerial = 20 };
        Assert.Empty(CloneDetector.Signals([.. Enumerable.Repeat(Consumer("same"), 100)], options, null, null));
        var inspectors = Enumerable.Range(0, 30).Select(i => Scan(0, null)).ToList();
        Assert.Empty(CloneDetector.Signals(inspectors, options, null, null));
        var many = Enumerable.Range(0, 21).Select(i => Consumer("client" + i)).ToList();
        Assert.Equal(ReasonCodes.TooManyScans, Assert.Single(CloneDetector.Signals(many, options, null, null)).Code);
    }

    [Fact]
    public void Scans_written_before_pseudonyms_count_one_each() =>
        Assert.Equal(3, CloneDetector.DistinctConsumerClients([Consumer(null), Consumer(null), Consumer("a"), Consumer("a")]));

    [Fact]
    public void Neighbouring_provinces_minutes_apart_are_within_the_tolerance()
    {
        // Lai Châu and Lào Cai centres are ~55 km apart: a package on the border road is plausible.
        var signals = CloneDetector.Signals([Scan(0.1, "Lai Châu"), Scan(0, "Lào Cai")], new VerifyOptions(), null, null);
        Assert.Empty(signals);
    }

    [Fact]
    public void Travel_is_judged_between_located_scans_even_with_unlocated_scans_between()
    {
        var signals = CloneDetector.Signals([Scan(3, "Cà Mau"), Scan(2, null), Scan(0, "Hà Giang")], new VerifyOptions(), null, null);
        Assert.Equal(ReasonCodes.ImpossibleTravel, Assert.Single(signals).Code);
    }

    [Fact]
    public void The_speed_limit_is_configurable()
    {
        var scans = new[] { Scan(2, "Hà Nội"), Scan(0, "TP Hồ Chí Minh") };
        Assert.NotEmpty(CloneDetector.Signals(scans, new VerifyOptions(), null, null));
        Assert.Empty(CloneDetector.Signals(scans, new VerifyOptions { MaxTravelKmh = 900 }, null, null));
    }
}
