namespace Traceability.Lookup.Api.Pages;

/// <summary>
/// The demo's orange lot CS-2611A as its provenance page shows it (Standalone/Demo: harvest at Phù Lưu,
/// packing, shipping to Hà Nội, the shop), with fixed dates, a certificate, a corrected step and links
/// both ways, so every component of the page renders. The start-up warm-up renders it (<see cref="LookupWarmUp"/>);
/// the page's golden-file test (Lookup.Tests) and the render microbenchmark (Traceability.Benchmarks,
/// <c>page-render</c>) use it too.
/// </summary>
public static class SampleLot
{
    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    private static DateTimeOffset At(int day, int hour) => new(2026, 11, day, hour, 0, 0, Vietnam);

    private static PlaceView Place(string name, string province) => new(name, province);

    public static readonly ProvenanceView View = new(
        "https://truyxuat.example.vn/01/08936001000019/10/CS-2611A", "active",
        new ProductView("08936001000019", new NameView("Cam sành Hàm Yên", "Ham Yen king orange"), "Cam Hàm Yên", null,
            ["VietGAP", "OCOP 4 sao"],
            [new CertificateView("VietGAP", "VG-TQ-0123", "Chi cục Trồng trọt Tuyên Quang", new DateOnly(2025, 3, 1), new DateOnly(2027, 3, 1))],
            "trái cây"),
        new ProducerView("Hợp tác xã Cam sành Hàm Yên", "Thôn Đồng Mới, xã Phù Lưu", "Tuyên Quang", "0207 3 888 123", "https://camhamyen.example.vn"),
        new LotView("CS-2611A", new DateOnly(2026, 11, 10), new DateOnly(2026, 12, 10), 1200, "hộp"),
        new OriginView("Vùng trồng cam Phù Lưu", "Tuyên Quang", 22.0731, 105.0312),
        [
            new EventView(At(9, 8), "ObjectEvent", "ADD", "commissioning", "active", Place("Vùng trồng cam Phù Lưu", "Tuyên Quang")),
            new EventView(At(10, 8), "ObjectEvent", "OBSERVE", "packing", "in_progress", Place("Xưởng sơ chế, đóng gói HTX Hàm Yên", "Tuyên Quang"),
                Corrected: true, CorrectionReason: "incorrect_data", CorrectiveEventIds: ["urn:uuid:0b0c5a2e-5f0e-4c7e-9d7a-3f1f9f0c1a01"]),
            new EventView(At(10, 9), "ObjectEvent", "OBSERVE", "packing", "in_progress", Place("Xưởng sơ chế, đóng gói HTX Hàm Yên", "Tuyên Quang"), Correction: true),
            new EventView(At(11, 8), "ObjectEvent", "OBSERVE", "shipping", "in_transit", Place("Xưởng sơ chế, đóng gói HTX Hàm Yên", "Tuyên Quang")),
            new EventView(At(12, 8), "ObjectEvent", "OBSERVE", "receiving", "in_progress", Place("Kho tổng Long Biên", "Hà Nội")),
            new EventView(At(12, 9), "ObjectEvent", "OBSERVE", "storing", "in_progress", Place("Kho tổng Long Biên", "Hà Nội")),
            new EventView(At(13, 8), "ObjectEvent", "OBSERVE", "shipping", "in_transit", Place("Kho tổng Long Biên", "Hà Nội")),
            new EventView(At(13, 14), "ObjectEvent", "OBSERVE", "receiving", "in_progress", Place("Cửa hàng Nông sản sạch Hàng Bè", "Hà Nội")),
            new EventView(At(14, 8), "ObjectEvent", "OBSERVE", "retail_selling", "retail_sold", Place("Cửa hàng Nông sản sạch Hàng Bè", "Hà Nội")),
        ],
        [new TraceLinkView("transformation", At(9, 7), "https://truyxuat.example.vn/01/08936001000026/10/GOC-01", "08936001000026", "GOC-01",
            new NameView("Cây giống cam sành", null), "Hợp tác xã Cam sành Hàm Yên", null)],
        [
            new TraceLinkView("shipping", At(11, 8), null, null, null, null, "Kho tổng Long Biên", Place("Kho tổng Long Biên", "Hà Nội")),
            new TraceLinkView("receiving", At(13, 14), null, null, null, null, "Cửa hàng <Hàng Bè> & Co", Place("Cửa hàng Nông sản sạch Hàng Bè", "Hà Nội")),
        ],
        null)
    {
        Assurance = "registered",
    };

    /// <summary>The same lot recalled (the red banner with its reason), as a second shape of the page.</summary>
    public static readonly ProvenanceView Recalled = View with
    {
        Status = "recalled",
        Recall = new RecallView("hộp", "class1", At(15, 10)),
    };
}
