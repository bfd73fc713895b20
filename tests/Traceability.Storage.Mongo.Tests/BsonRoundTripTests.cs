namespace Traceability.Storage.Mongo.Tests;

/// <summary>Every document type survives BSON and back, with the stored field names and types pinned.</summary>
public sealed class BsonRoundTripTests
{
    private static readonly DateTimeOffset Hanoi = new(2026, 3, 14, 8, 30, 15, TimeSpan.FromHours(7));
    // Sub-millisecond ticks: a BSON date alone would lose them.
    private static readonly DateTimeOffset Precise = new DateTimeOffset(2026, 3, 14, 1, 2, 3, TimeSpan.FromHours(-5)).AddTicks(1_234_567);

    static BsonRoundTripTests() => DocumentMappings.Register();

    [Fact]
    public void Time_keeps_ticks_and_offset_and_a_readable_utc_date()
    {
        var bson = TimeDoc.From(Precise).ToBsonDocument();

        Assert.Equal(BsonType.DateTime, bson["date"].BsonType);
        Assert.Equal(Precise.UtcDateTime.Ticks / 10_000 * 10_000, bson["date"].ToUniversalTime().Ticks);
        Assert.Equal(Precise.UtcTicks, bson["ticks"].AsInt64);
        Assert.Equal(-300, bson["offset"].AsInt32);
        var back = Render.RoundTrip(TimeDoc.From(Precise)).ToDateTimeOffset();
        Assert.Equal(Precise, back);
        Assert.Equal(Precise.Offset, back.Offset);
    }

    [Fact]
    public void Producer_round_trips_with_vietnamese_text()
    {
        var p = new Producer("prd_1", "Hợp tác xã Cam sành Hàm Yên", "5000123456", "Thôn Phù Lưu, xã Phù Lưu",
            "Tuyên Quang", "8930000000019", ["893000", "8930001"], Hanoi, "0912 345 678", "htx@example.vn", Suspended: true,
            PublicPhone: "1900 1234", Website: "https://camsanhhamyen.vn");

        var bson = Render.ToBson(ProducerDoc.From(p));
        var back = Render.RoundTrip(ProducerDoc.From(p)).ToRecord();

        Assert.Equal("prd_1", bson["_id"].AsString);
        Assert.Equal("Hợp tác xã Cam sành Hàm Yên", bson["name"].AsString);
        Assert.Equal("5000123456", bson["taxCode"].AsString);
        Assert.True(bson["suspended"].AsBoolean);
        Assert.Equal("https://camsanhhamyen.vn", bson["website"].AsString);
        Assert.Equal("1900 1234", bson["publicPhone"].AsString);
        Assert.Equal(new BsonArray { "893000", "8930001" }, bson["companyPrefixes"]);
        Assert.Equal(p with { CompanyPrefixes = back.CompanyPrefixes }, back);
        Assert.Equal(p.CompanyPrefixes, back.CompanyPrefixes);
        Assert.Equal(Hanoi.Offset, back.CreatedAt.Offset);
    }

    [Fact]
    public void Inspector_round_trips()
    {
        var i = new Inspector("ins_1", "Nguyễn Thị Hằng", "Đội Quản lý thị trường số 3, Tuyên Quang", Hanoi);

        var bson = Render.ToBson(InspectorDoc.From(i));

        Assert.Equal("Đội Quản lý thị trường số 3, Tuyên Quang", bson["agency"].AsString);
        Assert.Equal(i, Render.RoundTrip(InspectorDoc.From(i)).ToRecord());
    }

    [Fact]
    public void Api_key_round_trips_with_binary_salt_and_hash_and_role_as_text()
    {
        var k = new ApiKeyRecord("key_1", [1, 2, 3, 250], [9, 8, 7, 0, 255], Role.Producer, "prd_1", null, Hanoi, Precise);

        var bson = Render.ToBson(ApiKeyDoc.From(k));
        var back = Render.RoundTrip(ApiKeyDoc.From(k)).ToRecord();

        Assert.Equal(BsonType.Binary, bson["salt"].BsonType);
        Assert.Equal(BsonType.Binary, bson["hash"].BsonType);
        Assert.Equal("Producer", bson["role"].AsString);
        Assert.Equal(k.Salt, back.Salt);
        Assert.Equal(k.Hash, back.Hash);
        Assert.Equal(k with { Salt = back.Salt, Hash = back.Hash }, back);
        Assert.Equal(Precise, back.RevokedAt);
    }

    [Fact]
    public void Product_round_trips_with_its_outbox_row()
    {
        var p = new Product("08930000000013", "prd_1", new LocalizedText("Cam sành Hàm Yên", "Ham Yen King Orange"), "Hàm Yên",
            "https://example.vn/cam.jpg", "trái cây", new LocalizedText("Cam sành đặc sản, vỏ sần, mọng nước"),
            ["VietGAP", "TCVN 12850:2019"], "kg", Hanoi, Precise)
        {
            Certificates = [new("VietGAP", "VG-TQ-0123", "QUACERT", new DateOnly(2025, 1, 15), new DateOnly(2028, 1, 14))],
        };
        var outbox = OutboxDoc.Pending(new OutboxMessage(OutboxKind.Product, p.Gtin, null, null, "00-abc-def-01"), Hanoi);

        var bson = Render.ToBson(ProductDoc.From(p, outbox));
        var back = Render.RoundTrip(ProductDoc.From(p, outbox));

        Assert.Equal("08930000000013", bson["_id"].AsString);
        Assert.Equal("Cam sành Hàm Yên", bson["name"]["vi"].AsString);
        Assert.Equal("Ham Yen King Orange", bson["name"]["en"].AsString);
        Assert.Equal("Pending", bson["outbox"]["state"].AsString);
        Assert.Equal(Hanoi.UtcTicks, bson["outbox"]["nextAttemptAt"]["ticks"].AsInt64);
        var record = back.ToRecord();
        Assert.Equal(p.Standards, record.Standards);
        Assert.Equal(p.Certificates, record.Certificates);
        // Calendar dates as ISO strings, never shifted by a time zone.
        Assert.Equal("2028-01-14", bson["certificates"][0]["validTo"].AsString);
        Assert.Equal(p with { Standards = record.Standards, Certificates = record.Certificates }, record);
        var row = back.Outbox!.ToRow(OutboxKind.Product, back.Id);
        Assert.Equal("p:08930000000013", row.Id);
        Assert.Equal(OutboxState.Pending, row.State);
        Assert.Equal("00-abc-def-01", row.TraceParent);
        Assert.Null(row.DependsOnKind);
    }

    [Fact]
    public void Location_round_trips_with_coordinates()
    {
        var l = new Location("prd_1", "VUON-01", "Vườn cam đồi Phù Lưu", "growing_area", "Thôn Phù Lưu", "Tuyên Quang",
            22.0694, 105.0417, "8930000000026", Hanoi);

        var bson = Render.ToBson(LocationDoc.From(l));

        Assert.Equal("prd_1/VUON-01", bson["_id"].AsString);
        Assert.Equal(22.0694, bson["latitude"].AsDouble);
        Assert.Equal(l, Render.RoundTrip(LocationDoc.From(l)).ToRecord());
    }

    [Fact]
    public void Lot_round_trips_with_decimal_quantity_and_calendar_dates()
    {
        var lot = new Lot("08930000000013", "HY-2026/03", "prd_1", new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 15),
            1234.567m, "kg", "VUON-01", Hanoi);
        var outbox = OutboxDoc.Pending(new OutboxMessage(OutboxKind.Lot, lot.Key, OutboxKind.Product, lot.Gtin, null), Hanoi);

        var bson = Render.ToBson(LotDoc.From(lot, outbox));
        var back = Render.RoundTrip(LotDoc.From(lot, outbox));

        Assert.Equal("01/08930000000013/10/HY-2026%2F03", bson["_id"].AsString); // LotKey percent-encodes the lot
        Assert.Equal(BsonType.Decimal128, bson["quantity"].BsonType);
        Assert.Equal(1234.567m, (decimal)bson["quantity"].AsDecimal128);
        Assert.Equal("2026-03-01", bson["productionDate"].AsString);
        Assert.Equal("Product", bson["outbox"]["dependsOnKind"].AsString);
        Assert.Equal(lot, back.ToRecord());
        Assert.Equal("08930000000013", back.Outbox!.DependsOnKey);
    }

    [Fact]
    public void Lot_without_optional_values_round_trips()
    {
        var lot = new Lot("08930000000013", "L1", "prd_1", null, null, null, null, null, Hanoi);

        Assert.Equal(lot, Render.RoundTrip(LotDoc.From(lot, null)).ToRecord());
        Assert.Equal(BsonNull.Value, Render.ToBson(LotDoc.From(lot, null))["quantity"]);
    }

    [Fact]
    public void Event_round_trips_with_keys_times_and_outbox()
    {
        var e = SampleEvent();
        var outbox = OutboxDoc.Pending(new OutboxMessage(OutboxKind.Event, e.EventId, OutboxKind.Lot, "01/08930000000013/10/L1", null), e.RecordTime);

        var bson = Render.ToBson(EventDoc.From(e, outbox));
        var back = Render.RoundTrip(EventDoc.From(e, outbox)).ToRecord();

        Assert.Equal(e.EventId, bson["_id"].AsString);
        Assert.Equal("01/08930000000013/10/L1", bson["lotKey"].AsString);
        Assert.Equal("01/08930000000013/21/7", bson["keys"][0]["value"].AsString);
        Assert.Equal("Epc", bson["keys"][0]["role"].AsString);
        Assert.Equal(420, bson["eventTime"]["offset"].AsInt32);
        Assert.Equal("Lot", bson["outbox"]["dependsOnKind"].AsString);
        Assert.Equal(e.Keys, back.Keys);
        Assert.Equal(e with { Keys = back.Keys }, back);
        Assert.Equal(TimeSpan.FromHours(7), back.EventTime.Offset);
        Assert.Contains("Thu hoạch", back.Json, StringComparison.Ordinal);
    }

    [Fact]
    public void Capture_job_round_trips()
    {
        var j = new CaptureJob("cap_1", "prd_1", false, false, Hanoi, Precise, ["eventList[3].bizStep: không hợp lệ"], 5, 2);

        var bson = Render.ToBson(CaptureJobDoc.From(j));
        var back = Render.RoundTrip(CaptureJobDoc.From(j)).ToRecord();

        Assert.Equal(5, bson["eventCount"].AsInt32);
        Assert.Equal(2, bson["duplicateCount"].AsInt32);
        Assert.Equal(j.Errors, back.Errors);
        Assert.Equal(j with { Errors = back.Errors }, back);
    }

    [Fact]
    public void Unknown_fields_from_a_newer_version_are_ignored()
    {
        var bson = Render.ToBson(InspectorDoc.From(new Inspector("ins_1", "A", "B", Hanoi)));
        bson["addedLater"] = "x";

        var back = MongoDB.Bson.Serialization.BsonSerializer.Deserialize<InspectorDoc>(bson);

        Assert.Equal("ins_1", back.Id);
    }

    internal static StoredEvent SampleEvent(string id = "urn:uuid:6d3f1c2e-0000-4000-8000-000000000001") => new(
        id, "prd_1", "ObjectEvent",
        new DateTimeOffset(2026, 3, 1, 6, 0, 0, TimeSpan.FromHours(7)).AddTicks(5),
        new DateTimeOffset(2026, 3, 1, 0, 0, 1, TimeSpan.Zero),
        "ADD", "commissioning", "active", "414/8930000000026", "414/8930000000026",
        "{\"type\":\"ObjectEvent\",\"comment\":\"Thu hoạch cam sành\"}",
        [
            new EventKey("01/08930000000013/21/7", EventKeyRole.Epc),
            new EventKey("01/08930000000013/10/L1", EventKeyRole.Lot),
        ],
        "cap_1");
}
