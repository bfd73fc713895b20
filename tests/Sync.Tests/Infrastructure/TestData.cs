using Traceability.Domain.Epcis;
using Traceability.Domain.Gs1;

namespace Traceability.Sync.Tests.Infrastructure;

/// <summary>Seeds a store like captures would: entity + outbox row, products → lots → events.</summary>
public static class TestData
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 6, 0, 0, TimeSpan.FromHours(7));

    /// <summary>Where the tests' fake clock starts: after every seeded row was created.</summary>
    public static readonly DateTimeOffset Now = Start.AddDays(10);

    public static readonly Producer Producer = new("prod-1", "HTX Cam sành Hàm Yên", "5000123456",
        "Thôn 1, xã Phù Lưu", "Tuyên Quang", "8930000000017", ["8930000"], Start);

    private static readonly (string Gln, string Kind, string Name)[] Places =
    [
        ("8930000000017", "growing_area", "Vùng trồng Phù Lưu"),
        ("8930000000024", "processing", "Xưởng sơ chế Hàm Yên"),
        ("8930000000031", "warehouse", "Kho tổng Tuyên Quang"),
        ("8930000000048", "store", "Cửa hàng nông sản Hà Nội"),
    ];

    private static readonly string[] Steps = ["commissioning", "packing", "shipping", "receiving", "storing", "retail_selling"];

    /// <summary>A valid GTIN-14 (Vietnamese 893 prefix) for item number n.</summary>
    public static string Gtin(int n)
    {
        var body = $"0893000{n:D6}";
        return body + Gs1CheckDigit.Compute(body);
    }

    public static string LotNumber(int product, int lot) => $"L{product:D2}-{lot:D3}";

    public static string EventId(int n) => $"urn:uuid:00000000-0000-4000-8000-{n:D12}";

    public static async Task<Seeded> SeedAsync(TestStores store, int products, int lots, int events,
        Func<int, Product, Product>? productEdit = null, string? traceParent = null)
    {
        await store.Accounts.AddProducerAsync(Producer, new ApiKeyRecord("key-1", [1], [2], Role.Producer, Producer.Id, null, Start));
        foreach (var (gln, kind, name) in Places)
            await store.Catalog.AddLocationAsync(new Location(Producer.Id, gln, name, kind, "Quốc lộ 2", "Tuyên Quang", null, null, gln, Start));

        var productKeys = new List<string>();
        for (var p = 0; p < products; p++)
        {
            var product = new Product(Gtin(p + 1), Producer.Id, new LocalizedText($"Cam sành loại {p + 1}", "Sanh orange"),
                "Hàm Yên", "https://example.org/cam.jpg", "fruit", new LocalizedText("Cam sành đặc sản"), ["VietGAP"],
                "kg", Start, Start);
            product = productEdit?.Invoke(p, product) ?? product;
            await store.Catalog.AddProductAsync(product, new OutboxMessage(OutboxKind.Product, product.Gtin, null, null,
                traceParent ?? "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
            productKeys.Add(product.Gtin);
        }

        var lotKeys = new List<string>();
        for (var l = 0; l < lots; l++)
        {
            var p = l % products;
            var lot = new Lot(productKeys[p], LotNumber(p + 1, l + 1), Producer.Id, new DateOnly(2026, 10, 1),
                new DateOnly(2026, 12, 1), 1000m, "kg", Places[0].Gln, Start.AddMinutes(1));
            await store.Catalog.AddLotAsync(lot, new OutboxMessage(OutboxKind.Lot, lot.Key, OutboxKind.Product, lot.Gtin, null));
            lotKeys.Add(lot.Key);
        }

        var stored = new List<StoredEvent>();
        var announce = new List<OutboxMessage>();
        for (var e = 0; e < events; e++)
        {
            var lotKey = lotKeys[e % lots];
            var place = Places[e % Places.Length];
            var id = EventId(e + 1);
            stored.Add(new StoredEvent(id, Producer.Id, "ObjectEvent", Start.AddMinutes(2 + e), Start.AddMinutes(2 + e),
                "OBSERVE", Steps[e % Steps.Length], "in_progress", place.Gln, place.Gln, "{}",
                [new EventKey(lotKey, EventKeyRole.Lot)], "capture-1"));
            announce.Add(new OutboxMessage(OutboxKind.Event, id, OutboxKind.Lot, lotKey, null));
        }
        await store.Events.CaptureAsync(new CaptureJob("capture-1", Producer.Id, false, true, Start.AddMinutes(2), Start.AddMinutes(2), [],
            events, 0), stored, announce);
        return new Seeded(productKeys, lotKeys, [.. stored.Select(s => s.EventId)]);
    }
}

public sealed record Seeded(IReadOnlyList<string> Products, IReadOnlyList<string> Lots, IReadOnlyList<string> Events)
{
    /// <summary>Every outbox row of the seeded entities, read back through IOutboxStore.</summary>
    public async Task<IReadOnlyList<OutboxRow>> RowsAsync(IOutboxStore outbox)
    {
        var rows = new List<OutboxRow>();
        foreach (var (kind, keys) in new[] { (OutboxKind.Product, Products), (OutboxKind.Lot, Lots), (OutboxKind.Event, Events) })
            foreach (var key in keys)
                rows.Add(await outbox.GetOutboxRowAsync(kind, key) ?? throw new InvalidOperationException($"no row for {kind} {key}"));
        return rows;
    }
}
