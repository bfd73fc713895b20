using Traceability.Domain.Epcis;
using Traceability.Domain.Gs1;
using Traceability.Storage;
using Traceability.Testing;

namespace Traceability.Lookup.Tests.Infrastructure;

/// <summary>
/// A small world: an orange cooperative (Tuyên Quang) whose lot is pressed into juice by a
/// processor (Hà Nội), plus an expired lot, a suspended producer and a product named like a script.
/// </summary>
public static class TestData
{
    public static readonly string OrangeGtin13 = WithCheckDigit("893000000001");
    public static readonly string OrangeGtin = "0" + OrangeGtin13;
    public static readonly string JuiceGtin = "0" + WithCheckDigit("893000000002");
    public static readonly string ScriptGtin = "0" + WithCheckDigit("893000000003");
    public static readonly string GinsengGtin = "0" + WithCheckDigit("893000000004");
    public const string OrangeLot = "CAM-2026-01";
    public const string ExpiredLot = "CAM-2025-09";
    public const string JuiceLot = "NUOC-01";
    public static readonly string PlantGln = WithCheckDigit("893000000010");
    public const string SlashLot = "CAM/03%A";
    public const string RecalledLot = "CAM-2026-02";
    public const string GinsengLot = "SAM-01";
    public const string Farm = "HTX-CAM";
    public const string Processor = "CB-HN";
    public const string Suspended = "SAM-LC";

    public static string WithCheckDigit(string digits) => digits + Gs1CheckDigit.Compute(digits);

    public static string Path(string gtin, string lot) => $"/01/{gtin}/10/{lot}";

    public static OutboxMessage ProductAnnounce(string gtin) => new(OutboxKind.Product, gtin, null, null, null);

    public static OutboxMessage LotAnnounce(string gtin, string lot) => new(OutboxKind.Lot, LotKey.Of(gtin, lot), OutboxKind.Product, gtin, null);

    /// <summary>Serials issued on the orange lot (a serial the service never issued resolves to 404).</summary>
    public static readonly string[] OrangeSerials = ["ABC123", "S1"];

    /// <summary>Seeds a host's feature stores.</summary>
    public static Task SeedAsync(TestStores stores) =>
        SeedAsync(stores.Catalog, stores.Accounts, stores.Events, stores.Get<ISerialStore>());

    public static async Task SeedAsync(ICatalogStore catalog, IAccountStore accounts, IEventStore events, ISerialStore serials)
    {
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await accounts.AddProducerAsync(new Producer(Farm, "HTX Cam sành Hàm Yên", "5000000001", "Thôn 4, xã Phù Lưu, Hàm Yên", "Tuyên Quang",
            null, ["893000000"], t0, Phone: "0900000000", Email: "htx@example.vn",
            PublicPhone: "0207 3877 777", Website: "https://camsanhhamyen.example.vn"), Key(Farm));
        // A website stored before it was checked (an older version): never a link.
        await accounts.AddProducerAsync(new Producer(Processor, "Công ty Nước ép Hà Nội", "0100000002", "12 Láng Hạ, Đống Đa", "Hà Nội",
            null, ["893000000"], t0, Website: "javascript:alert(1)"), Key(Processor));
        await accounts.AddProducerAsync(new Producer(Suspended, "Cơ sở Sâm Lai Châu", "6200000003", "Tam Đường", "Lai Châu",
            null, ["893000000"], t0, Suspended: true), Key(Suspended));

        await catalog.AddLocationAsync(new Location(Farm, "VUNG-1", "Vùng trồng cam Phù Lưu", "growing_area", null, "Tuyên Quang", 22.0702, 105.0336, null, t0));
        await catalog.AddLocationAsync(new Location(Farm, "KHO-1", "Kho HTX Hàm Yên", "warehouse", null, "Tuyên Quang", null, null, null, t0));
        await catalog.AddLocationAsync(new Location(Processor, "XUONG-1", "Xưởng ép Đông Anh", "processing", null, "Hà Nội", 21.13, 105.85, PlantGln, t0));
        await catalog.AddLocationAsync(new Location(Processor, "CH-1", "Cửa hàng Láng Hạ", "store", null, "Hà Nội", null, null, null, t0));

        await catalog.AddProductAsync(new Product(OrangeGtin, Farm, new LocalizedText("Cam sành Hàm Yên", "Ham Yen king orange"), "Hàm Yên",
            "https://example.vn/cam.jpg", "fruit", null, ["VietGAP", "OCOP 4 sao"], "kg", t0, t0)
        {
            Certificates =
            [
                new("VietGAP", "VG-TQ-0123", "Trung tâm Chứng nhận Phù hợp QUACERT", new DateOnly(2025, 1, 15), new DateOnly(2028, 1, 14)),
                // Lapsed the day before the tests' today (20/11/2026 in Vietnam).
                new("GlobalG.A.P.", "GG-4049928", "Control Union", new DateOnly(2023, 11, 20), new DateOnly(2026, 11, 19)),
            ],
        }, ProductAnnounce(OrangeGtin));
        await catalog.AddProductAsync(new Product(JuiceGtin, Processor, new LocalizedText("Nước cam ép", "Orange juice"), null,
            "/demo/nuoc-cam.svg", "beverage", null, ["TCVN 12850:2019"], "bottle", t0, t0), ProductAnnounce(JuiceGtin));
        await catalog.AddProductAsync(new Product(ScriptGtin, Farm, new LocalizedText("<script>alert(1)</script>"), "\"><img src=x>",
            "javascript:alert(1)", null, null, [], null, t0, t0), ProductAnnounce(ScriptGtin));
        await catalog.AddProductAsync(new Product(GinsengGtin, Suspended, new LocalizedText("Sâm Lai Châu", "Lai Chau ginseng"), null,
            null, null, null, [], null, t0, t0), ProductAnnounce(GinsengGtin));

        await catalog.AddLotAsync(new Lot(OrangeGtin, OrangeLot, Farm, new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 31), 1200m, "kg", "VUNG-1", t0), LotAnnounce(OrangeGtin, OrangeLot));
        await catalog.AddLotAsync(new Lot(OrangeGtin, ExpiredLot, Farm, new DateOnly(2025, 9, 1), new DateOnly(2026, 11, 19), 500m, "kg", "VUNG-1", t0), LotAnnounce(OrangeGtin, ExpiredLot));
        await catalog.AddLotAsync(new Lot(OrangeGtin, RecalledLot, Farm, new DateOnly(2026, 11, 2), new DateOnly(2026, 12, 31), 800m, "kg", "VUNG-1", t0), LotAnnounce(OrangeGtin, RecalledLot));
        await catalog.AddLotAsync(new Lot(OrangeGtin, SlashLot, Farm, null, null, null, null, null, t0), LotAnnounce(OrangeGtin, SlashLot));
        await catalog.AddLotAsync(new Lot(JuiceGtin, JuiceLot, Processor, new DateOnly(2026, 11, 10), new DateOnly(2027, 5, 10), 2000m, "bottle", "XUONG-1", t0), LotAnnounce(JuiceGtin, JuiceLot));
        await catalog.AddLotAsync(new Lot(ScriptGtin, "X1", Farm, null, null, null, null, null, t0), LotAnnounce(ScriptGtin, "X1"));
        await catalog.AddLotAsync(new Lot(GinsengGtin, GinsengLot, Suspended, null, null, null, null, null, t0), LotAnnounce(GinsengGtin, GinsengLot));

        var orange = LotKey.Of(OrangeGtin, OrangeLot);
        var juice = LotKey.Of(JuiceGtin, JuiceLot);
        var day = new DateTimeOffset(2026, 11, 1, 1, 0, 0, TimeSpan.Zero);
        StoredEvent[] list =
        [
            // Stored out of order on purpose: the timeline must come out oldest first.
            Event("e3", Farm, "ObjectEvent", day.AddDays(3), "shipping", Loc(Farm, "KHO-1"), [new(orange, EventKeyRole.Lot)],
                """{"destinationList":[{"type":"owning_party","destination":"urn:epc:id:pgln:x"},{"type":"location","destination":"https://id.gs1.org/414/GLN"}]}""".Replace("GLN", PlantGln)),
            Event("e1", Farm, "ObjectEvent", day, "commissioning", Loc(Farm, "VUNG-1"), [new(orange, EventKeyRole.Lot)]),
            Event("e2", Farm, "ObjectEvent", day.AddDays(1), "packing", Loc(Farm, "KHO-1"), [new(orange, EventKeyRole.Lot)]),
            Event("e4", Processor, "ObjectEvent", day.AddDays(4), "receiving", "414/" + PlantGln, [new(orange, EventKeyRole.Lot)]),
            Event("e5", Processor, "TransformationEvent", day.AddDays(5), "transforming", "414/" + PlantGln,
                [new(orange, EventKeyRole.InputLot), new(juice, EventKeyRole.OutputLot)]),
            Event("e6", Processor, "ObjectEvent", day.AddDays(8), "retail_selling", Loc(Processor, "CH-1"), [new(juice, EventKeyRole.Lot)]),
        ];
        await events.CaptureAsync(new CaptureJob("c1", Farm, false, true, day, day, [], list.Length, 0), list, []);
        await serials.AddSerialsAsync([.. OrangeSerials.Select(s => new IssuedSerial(OrangeGtin, OrangeLot, s, "test-key", t0))]);
    }

    /// <summary>How events name a location without GLN (Ingestion.Api LocationIdentifier).</summary>
    public static string Loc(string producer, string code) => $"urn:x-traceability:loc:{producer}:{code}";

    public static StoredEvent Event(string id, string producer, string type, DateTimeOffset time, string bizStep, string location,
        IReadOnlyList<EventKey> keys, string json = "{}") =>
        new($"urn:uuid:{id}", producer, type, time, time, type == "TransformationEvent" ? null : "OBSERVE", bizStep, "active",
            location, location, json, keys, "c1");

    private static ApiKeyRecord Key(string producer) =>
        new("k-" + producer, [1], [2], Role.Producer, producer, null, DateTimeOffset.UnixEpoch);
}
