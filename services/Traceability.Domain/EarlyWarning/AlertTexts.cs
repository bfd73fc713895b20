using Traceability.Domain.Verification;

namespace Traceability.Domain.EarlyWarning;

/// <summary>
/// Every text of an alert, Vietnamese first, in one table: the kinds' names and the reasons with
/// their numbers ("34 lượt tra cứu mã không tồn tại của GTIN … tại Lai Châu trong ngày …; bình
/// thường: 0–1 lượt/ngày"). Reasons are stored with the alert (the numbers of the moment it was scored).
/// </summary>
public static class AlertTexts
{
    private static readonly Dictionary<string, (Text Name, string Vi, string En)> Table = new(StringComparer.Ordinal)
    {
        [AlertKinds.UnknownCodes.Name] = (new("Mã không tồn tại", "Codes never issued"),
            "{0} lượt tra cứu mã không tồn tại (lô hoặc sê-ri chưa từng được cấp) của GTIN {1} tại {3} trong ngày {4}",
            "{0} lookups of codes never issued (unknown lot or serial) of GTIN {1} in {3} on {4}"),
        [AlertKinds.FarFromShipping.Name] = (new("Tra cứu ngoài nơi giao hàng", "Looked up far from shipping"),
            "{0} lượt tra cứu lô {2} của GTIN {1} tại {3}, nơi lô này không được giao tới ({5}), trong ngày {4}",
            "{0} lookups of lot {2} of GTIN {1} in {3}, where the lot was never shipped ({5}), on {4}"),
        [AlertKinds.AfterRecall.Name] = (new("Vẫn bán sau thu hồi", "Still sold after recall"),
            "{0} lượt tra cứu lô {2} của GTIN {1} tại {3} sau khi lô bị thu hồi, trong ngày {4}: hàng có thể vẫn đang được bày bán",
            "{0} lookups of lot {2} of GTIN {1} in {3} after the lot's recall, on {4}: it may still be on sale"),
        [AlertKinds.AfterExpiry.Name] = (new("Vẫn bán sau hạn dùng", "Still sold after expiry"),
            "{0} lượt tra cứu lô {2} của GTIN {1} tại {3} sau hạn sử dụng của lô, trong ngày {4}",
            "{0} lookups of lot {2} of GTIN {1} in {3} after the lot's expiry date, on {4}"),
        [AlertKinds.LookupSurge.Name] = (new("Tra cứu tăng đột biến", "Surge of lookups"),
            "{0} lượt tra cứu sản phẩm GTIN {1} tại {3} trong ngày {4}, cao bất thường so với lịch sử của chính nó (z = {5})",
            "{0} lookups of GTIN {1} in {3} on {4}, far above its own history (z = {5})"),
        [AlertKinds.ComplaintSurge.Name] = (new("Phản ánh tăng đột biến", "Surge of complaints"),
            "{0} phản ánh của người tiêu dùng về sản phẩm GTIN {1} trong ngày {4}",
            "{0} consumer complaints about GTIN {1} on {4}"),
        [AlertKinds.CloneSerials.Name] = (new("Sê-ri bị sao chép", "Cloned serials"),
            "{0} số sê-ri của lô {2} (GTIN {1}) có dấu hiệu bị sao chép (nhiều thiết bị khác nhau hoặc di chuyển không thể) trong ngày {4}",
            "{0} serials of lot {2} (GTIN {1}) newly show copies (many different clients or impossible travel) on {4}"),
        [AlertKinds.InspectionViolations.Name] = (new("Kiểm tra phát hiện vi phạm", "Inspections found violations"),
            "{0} lần kiểm tra phát hiện vi phạm đối với sản phẩm GTIN {1} tại {3} trong ngày {4}",
            "{0} inspections found violations for GTIN {1} in {3} on {4}"),
    };

    public static Text KindName(string kind) => Table.TryGetValue(kind, out var t) ? t.Name : new(kind, kind);

    public static Text Status(string status) => status switch
    {
        AlertStatuses.Open => new("Mới", "Open"),
        AlertStatuses.Acknowledged => new("Đã tiếp nhận", "Acknowledged"),
        _ => new("Đã đóng", "Closed"),
    };

    public static Text Outcome(string outcome) => outcome switch
    {
        "confirmed_counterfeit" => new("Xác nhận hàng giả", "Confirmed counterfeit"),
        "false_alarm" => new("Báo động nhầm", "False alarm"),
        "recalled" => new("Đã thu hồi", "Recalled"),
        _ => new("Chuyển kiểm tra", "Referred to inspection"),
    };

    /// <summary>
    /// The reason of a case: what was seen, where and when, and what is usual for it ("bình thường:
    /// 0–1 lượt/ngày", the range of its daily counts over the history window). <paramref name="detail"/>
    /// is the kind's extra fact (the shipping destinations, the z-score). A baseline borrowed from similar
    /// products, or raised by their common rise today, is said so.
    /// </summary>
    public static Text Reason(AlertKind kind, long count, string gtin, string lot, string province, DateOnly day, History history, string? detail,
        Scored? scored = null)
    {
        var (_, vi, en) = Table[kind.Name];
        var usual = history.Min == history.Max
            ? history.Max.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{history.Min}–{history.Max}");
        var borrowed = scored?.Borrowed == true;
        var viText = string.Format(CultureInfo.InvariantCulture, vi, count, gtin, lot,
            province.Length == 0 ? "nơi không rõ" : province, day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), detail)
            + (history.Days == 0 ? "; chưa có lịch sử." : borrowed
                ? $"; sản phẩm chưa đủ lịch sử, theo các sản phẩm tương tự bình thường: {usual}/ngày (trong {history.Days} ngày trước)."
                : $"; bình thường: {usual}/ngày (trong {history.Days} ngày trước).");
        var enText = string.Format(CultureInfo.InvariantCulture, en, count, gtin, lot,
            province.Length == 0 ? "an unknown place" : province, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), detail)
            + (history.Days == 0 ? "; no history yet." : borrowed
                ? $"; too new for a history of its own, similar products' usual: {usual} a day (over the {history.Days} days before)."
                : $"; usual: {usual} a day (over the {history.Days} days before).");
        if (scored is { Uplift: > 1 } s)
        {
            var rise = s.Uplift.ToString("0.0", CultureInfo.InvariantCulture);
            viText += $" Đã tính mức tăng chung ×{rise} của các sản phẩm tương tự hôm nay.";
            enText += $" Allows for similar products' common rise ×{rise} today.";
        }
        return new(viText, enText);
    }
}
