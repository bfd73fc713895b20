using System.Collections.Frozen;
using Traceability.Domain.Verification;

namespace Traceability.Domain.Epcis;

/// <summary>
/// The names people read for CBV business steps, Vietnamese first: one table for every surface that
/// names a step of a lot's journey (the public page's timeline today), so they cannot word it apart.
/// </summary>
public static class StepNames
{
    private static readonly FrozenDictionary<string, Text> Names = new Dictionary<string, Text>(StringComparer.Ordinal)
    {
        ["commissioning"] = new("Thu hoạch / sản xuất", "Harvest / production"),
        ["transforming"] = new("Chế biến", "Processing"),
        ["packing"] = new("Đóng gói", "Packing"),
        ["shipping"] = new("Xuất hàng", "Shipped"),
        ["receiving"] = new("Nhận hàng", "Received"),
        ["storing"] = new("Lưu kho", "Stored"),
        ["retail_selling"] = new("Bán lẻ", "Retail sale"),
        ["inspecting"] = new("Kiểm tra", "Inspection"),
        ["departing"] = new("Khởi hành", "Departed"),
        ["arriving"] = new("Đến nơi", "Arrived"),
        ["loading"] = new("Bốc hàng", "Loaded"),
        ["unloading"] = new("Dỡ hàng", "Unloaded"),
        ["accepting"] = new("Tiếp nhận", "Accepted"),
        ["recalling"] = new("Thu hồi", "Recalled"),
        ["destroying"] = new("Tiêu hủy", "Destroyed"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The step's name in <paramref name="lang"/>; a transformation without a bizStep is processing;
    /// a step without a name here (a custom URI, a rare CBV term) is shown as the event carries it.
    /// </summary>
    public static string For(string? bizStep, string eventType, string? lang) =>
        bizStep is not null && Names.TryGetValue(bizStep, out var name) ? name.For(lang)
        : bizStep ?? (eventType == "TransformationEvent" ? Names["transforming"].For(lang) : eventType);
}
