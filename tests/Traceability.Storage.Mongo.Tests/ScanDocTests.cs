namespace Traceability.Storage.Mongo.Tests;

public class ScanDocTests
{
    private static readonly DateTimeOffset Hanoi = new(2026, 11, 20, 9, 15, 0, TimeSpan.FromHours(7));

    [Fact]
    public void Scan_round_trips_with_serial_province_and_time()
    {
        var scan = new ScanRecord(Hanoi, "01/08936001000010/10/CS-2611A", "A7x%2", "Hà Nội", "mobile");
        var bson = Render.ToBson(ScanDoc.From(scan));
        Assert.Equal("01/08936001000010/10/CS-2611A/21/A7x%252", bson["serialKey"].AsString);
        Assert.Equal("Hà Nội", bson["province"].AsString);
        var back = Render.RoundTrip(ScanDoc.From(scan)).ToRecord();
        Assert.Equal(scan, back);
        Assert.Equal(TimeSpan.FromHours(7), back.Time.Offset);
    }

    [Fact]
    public void A_lot_key_reads_every_scan_of_the_lot_and_a_serial_key_only_that_serial()
    {
        var since = Hanoi.AddDays(-1);
        // Scans of unregistered codes (kept for the periodic report) are never part of a lot's history.
        Render.Equal($$"""{ "lotKey": "01/08936001000010/10/CS-2611A", "time.ticks": { "$gte": {{since.UtcTicks}} }, "unknown": { "$ne": true } }""",
            Render.Filter(MongoScanStore.ScansFilter("01/08936001000010/10/CS-2611A", since)));
        Render.Equal($$"""{ "serialKey": "01/08936001000010/10/CS-2611A/21/X1", "time.ticks": { "$gte": {{since.UtcTicks}} }, "unknown": { "$ne": true } }""",
            Render.Filter(MongoScanStore.ScansFilter("01/08936001000010/10/CS-2611A/21/X1", since)));
    }

    [Fact]
    public void Scan_indexes_lead_with_the_lot_and_the_serial_key()
    {
        Render.Equal("""{ "lotKey": 1, "time.ticks": 1 }""", Render.Keys(MongoScanStore.ScanIndexes[0].Keys));
        Render.Equal("""{ "serialKey": 1, "time.ticks": 1 }""", Render.Keys(MongoScanStore.ScanIndexes[1].Keys));
        Render.Equal("""{ "time.ticks": 1, "source": 1, "province": 1, "unknown": 1 }""", Render.Keys(MongoScanStore.ScanIndexes[2].Keys));
    }

    [Fact]
    public void An_unknown_code_scan_round_trips_and_a_known_one_stores_no_flag()
    {
        var unknown = new ScanRecord(Hanoi, "01/08936001000010", null, "Hà Giang", "mobile", Unknown: true);
        Assert.True(Render.ToBson(ScanDoc.From(unknown))["unknown"].AsBoolean);
        Assert.Equal(unknown, Render.RoundTrip(ScanDoc.From(unknown)).ToRecord());
        Assert.False(Render.ToBson(ScanDoc.From(unknown with { Unknown = false })).Contains("unknown"));
    }
}
