// A frozen copy of the hand-written page writer the Razor components replaced (services/Lookup.Api/Pages at
// commit 651a8fd), kept only as the page-render scenario's limit: the same page written on the same machine in
// the same run. Not the service's code; do not change it (its output differs a little from today's page: an
// inline stylesheet, older texts).
namespace Traceability.Benchmarks.OldPage;

/// <summary>Page texts in Vietnamese (default) and English.</summary>
internal sealed record Texts(
    string Lang,
    string SiteTitle,
    string OtherLanguage,
    string OtherLanguageCode,
    string Report,
    string RecalledBanner,
    string SuspendedBanner,
    string ExpiredBanner,
    string RecallReason,
    string Brand,
    string Gtin,
    string Lot,
    string ProductionDate,
    string ExpiryDate,
    string Quantity,
    string Category,
    string TraceCode,
    string Producer,
    string Origin,
    string OpenInMaps,
    string Standards,
    string Journey,
    string NoEvents,
    string Upstream,
    string Downstream,
    string ShippedTo,
    string ReceivedBy,
    string NotRegisteredTitle,
    string NotRegisteredBody,
    string MalformedTitle,
    string ReportIntro,
    string ReportCategory,
    string ReportMessage,
    string ReportContact,
    string ReportSend,
    IReadOnlyDictionary<string, string> ReportCategories,
    string Footer,
    IReadOnlyDictionary<string, string> BizSteps)
{
    public static readonly Texts Vi = new(
        "vi", "Truy xuất nguồn gốc", "English", "en", "Báo cáo vấn đề",
        "CẢNH BÁO: LÔ HÀNG NÀY ĐÃ BỊ THU HỒI. Không sử dụng sản phẩm.",
        "CẢNH BÁO: Cơ sở sản xuất đang bị đình chỉ. Không sử dụng sản phẩm khi chưa được xác minh.",
        "Sản phẩm đã hết hạn sử dụng.",
        "Lý do", "Thương hiệu", "Mã GTIN", "Số lô", "Ngày sản xuất", "Hạn sử dụng", "Số lượng", "Loại",
        "Mã truy xuất", "Nhà sản xuất", "Xuất xứ", "Mở bản đồ", "Tiêu chuẩn và chứng nhận",
        "Hành trình sản phẩm", "Chưa có sự kiện nào được ghi nhận.", "Nguyên liệu đầu vào", "Đi tiếp",
        "Vận chuyển đến", "Được nhận bởi",
        "Mã này chưa được đăng ký — có thể là hàng giả",
        "Không tìm thấy sản phẩm hoặc lô hàng này trong hệ thống truy xuất nguồn gốc. Hãy cẩn trọng: đây có thể là hàng giả, hàng không rõ nguồn gốc. Vui lòng báo cho chúng tôi.",
        "Mã không hợp lệ",
        "Thấy điều gì bất thường? Hãy báo cho cơ quan quản lý.", "Loại vấn đề", "Nội dung", "Liên hệ (không bắt buộc)", "Gửi báo cáo",
        new Dictionary<string, string>
        {
            ["counterfeit"] = "Nghi hàng giả", ["wrong_information"] = "Thông tin sai", ["quality"] = "Chất lượng",
            ["safety"] = "An toàn thực phẩm (ngộ độc, dị vật)", ["other"] = "Khác",
        },
        "Dữ liệu truy xuất theo TCVN 12850:2019, GS1 EPCIS 2.0 và GS1 Digital Link.",
        new Dictionary<string, string>
        {
            ["commissioning"] = "Thu hoạch / sản xuất", ["transforming"] = "Chế biến", ["packing"] = "Đóng gói",
            ["shipping"] = "Xuất hàng", ["receiving"] = "Nhận hàng", ["storing"] = "Lưu kho",
            ["retail_selling"] = "Bán lẻ", ["inspecting"] = "Kiểm tra", ["departing"] = "Khởi hành",
            ["arriving"] = "Đến nơi", ["loading"] = "Bốc hàng", ["unloading"] = "Dỡ hàng",
            ["accepting"] = "Tiếp nhận", ["recalling"] = "Thu hồi", ["destroying"] = "Tiêu hủy",
        });

    public static readonly Texts En = new(
        "en", "Product traceability", "Tiếng Việt", "vi", "Report a problem",
        "WARNING: THIS LOT HAS BEEN RECALLED. Do not use the product.",
        "WARNING: the producer is suspended. Do not use the product until it is verified.",
        "This product is past its expiry date.",
        "Reason", "Brand", "GTIN", "Lot", "Production date", "Expiry date", "Quantity", "Category",
        "Traceability code", "Producer", "Origin", "Open in maps", "Standards and certificates",
        "Product journey", "No events recorded yet.", "Made from", "Went on to",
        "Shipped to", "Received by",
        "This code is not registered — it may be counterfeit",
        "This product or lot is not in the traceability system. Be careful: it may be counterfeit or of unknown origin. Please report it.",
        "Invalid code",
        "Something wrong? Tell the authorities.", "Problem", "Message", "Contact (optional)", "Send report",
        new Dictionary<string, string>
        {
            ["counterfeit"] = "Possible counterfeit", ["wrong_information"] = "Wrong information", ["quality"] = "Quality",
            ["safety"] = "Food safety (poisoning, foreign body)", ["other"] = "Other",
        },
        "Traceability data under TCVN 12850:2019, GS1 EPCIS 2.0 and GS1 Digital Link.",
        new Dictionary<string, string>
        {
            ["commissioning"] = "Harvest / production", ["transforming"] = "Processing", ["packing"] = "Packing",
            ["shipping"] = "Shipped", ["receiving"] = "Received", ["storing"] = "Stored",
            ["retail_selling"] = "Retail sale", ["inspecting"] = "Inspection", ["departing"] = "Departed",
            ["arriving"] = "Arrived", ["loading"] = "Loaded", ["unloading"] = "Unloaded",
            ["accepting"] = "Accepted", ["recalling"] = "Recalled", ["destroying"] = "Destroyed",
        });

    public static Texts For(string lang) => lang == "en" ? En : Vi;

    /// <summary>The note on an event its producer declared wrong (an EPCIS error declaration).</summary>
    public string Corrected(string? reason) => (Lang, reason) switch
    {
        ("en", "did_not_occur") => "Corrected: the producer declared that this step did not take place.",
        ("en", "incorrect_data") => "Corrected: the producer declared this step's data incorrect; see the corrections below.",
        ("en", _) => "Corrected by the producer.",
        (_, "did_not_occur") => "Đã đính chính: cơ sở sản xuất xác nhận công đoạn này không diễn ra.",
        (_, "incorrect_data") => "Đã đính chính: cơ sở sản xuất xác nhận thông tin công đoạn này sai; xem các bản ghi sửa bên dưới.",
        _ => "Đã đính chính bởi cơ sở sản xuất.",
    };

    /// <summary>The mark of an event that corrects a declared one.</summary>
    public string Correction => Lang == "en" ? "Correction" : "Bản ghi đính chính";

    public string Step(string? bizStep, string eventType) =>
        bizStep is not null && BizSteps.TryGetValue(bizStep, out var s) ? s
        : bizStep ?? (eventType == "TransformationEvent" ? BizSteps["transforming"] : eventType);
}
