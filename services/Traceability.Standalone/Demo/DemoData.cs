using Traceability.Domain.Gs1;

namespace Traceability.Standalone.Demo;

/// <summary>
/// The demo data set (DESIGN §6): real products of the provinces this project serves, with full
/// event chains, one lot processed across producers, one expired lot, and one lot to recall.
/// Company prefixes under 893 are made up for the demo. Addresses are in the two-level form in force
/// since 1 July 2025 (commune or ward, then province; no district), illustrative rather than exact.
/// </summary>
internal static class DemoData
{
    public sealed record DemoProducer(string Key, string Name, string TaxCode, string Address, string Province, string Prefix);
    public sealed record DemoLocation(string Producer, string Code, string Name, string Kind, string Address, string Province, double Lat, double Lon);
    public sealed record DemoProduct(string Producer, string Gtin, string NameVi, string NameEn, string Brand, string Category,
        string DescriptionVi, string[] Standards, string Unit);

    public static string Gtin13(string first12) => first12 + Gs1CheckDigit.Compute(first12);

    public static readonly DemoProducer[] Producers =
    [
        new("cam", "Hợp tác xã Cam sành Hàm Yên", "5000123456", "Thôn Đồng Mới, xã Phù Lưu", "Tuyên Quang", "8936001"),
        new("che", "Hợp tác xã Chè Shan tuyết Na Hang", "5000234567", "Thôn Khuổi Phầy, xã Sinh Long", "Tuyên Quang", "8936002"),
        new("chebien", "Công ty CP Chè Tuyên Quang", "5000345678", "Số 12 đường 17/8, phường Minh Xuân", "Tuyên Quang", "8936003"),
        new("sam", "Công ty TNHH Sâm Lai Châu Tam Đường", "6200123456", "Bản Sì Thâu Chải, xã Tả Lèng", "Lai Châu", "8936004"),
    ];

    public static readonly DemoLocation[] Locations =
    [
        new("cam", "VT-PHULUU", "Vùng trồng cam Phù Lưu", "growing_area", "Xã Phù Lưu", "Tuyên Quang", 22.0731, 105.0312),
        new("cam", "SC-HAMYEN", "Xưởng sơ chế, đóng gói HTX Hàm Yên", "processing", "Xã Hàm Yên", "Tuyên Quang", 22.0650, 105.0420),
        new("cam", "KHO-HN", "Kho tổng Long Biên", "warehouse", "Phường Long Biên", "Hà Nội", 21.0473, 105.8890),
        new("cam", "CH-HOANKIEM", "Cửa hàng Nông sản sạch Hàng Bè", "store", "Số 20 phố Hàng Bè, phường Hoàn Kiếm", "Hà Nội", 21.0334, 105.8539),
        new("che", "VT-SINHLONG", "Vùng chè Shan tuyết cổ thụ Sinh Long", "growing_area", "Xã Sinh Long", "Tuyên Quang", 22.5100, 105.3000),
        new("chebien", "NM-TUYENQUANG", "Nhà máy chế biến chè Tuyên Quang", "processing", "Phường Minh Xuân", "Tuyên Quang", 21.8236, 105.2140),
        new("chebien", "CH-TPHCM", "Cửa hàng đặc sản Tây Bắc Xuân Hòa", "store", "Số 88 Võ Văn Tần, phường Xuân Hòa", "TP Hồ Chí Minh", 10.7769, 106.6920),
        new("sam", "VT-TALENG", "Vườn sâm dưới tán rừng Tả Lèng", "growing_area", "Xã Tả Lèng", "Lai Châu", 22.3700, 103.5900),
        new("sam", "SC-TAMDUONG", "Cơ sở sơ chế sâm Tam Đường", "processing", "Xã Tam Đường", "Lai Châu", 22.3390, 103.6150),
        new("sam", "CH-LAICHAU", "Cửa hàng sâm Lai Châu chính hãng", "store", "Phường Tân Phong", "Lai Châu", 22.3960, 103.4580),
    ];

    public static readonly DemoProduct[] Products =
    [
        new("cam", Gtin13("893600100001"), "Cam sành Hàm Yên loại 1 (hộp 3 kg)", "Ham Yen king oranges, grade 1 (3 kg box)", "Cam Hàm Yên",
            "Trái cây", "Cam sành đặc sản Hàm Yên, vỏ xanh mỏng, múi mọng nước, trồng theo VietGAP.", ["VietGAP", "OCOP 4 sao", "Chỉ dẫn địa lý Hàm Yên"], "hộp"),
        new("che", Gtin13("893600200001"), "Lá chè Shan tuyết tươi", "Fresh Shan Tuyet tea leaves", "Shan tuyết Na Hang",
            "Nguyên liệu", "Búp chè Shan tuyết cổ thụ hái tay trên núi cao Sinh Long.", ["Hữu cơ TCVN 11041"], "kg"),
        new("chebien", Gtin13("893600300001"), "Chè Shan tuyết Na Hang (gói 200 g)", "Na Hang Shan Tuyet green tea (200 g)", "Trà Tuyên",
            "Chè", "Chè xanh chế biến từ búp Shan tuyết cổ thụ Na Hang.", ["OCOP 5 sao", "TCVN 12850:2019", "HACCP"], "gói"),
        new("sam", Gtin13("893600400001"), "Sâm Lai Châu tươi (củ 5 năm tuổi)", "Fresh Lai Chau ginseng (5-year root)", "Sâm Tả Lèng",
            "Dược liệu", "Sâm Lai Châu (Panax vietnamensis var. fuscidiscus) trồng dưới tán rừng.", ["OCOP 4 sao", "GACP-WHO"], "củ"),
    ];
}
