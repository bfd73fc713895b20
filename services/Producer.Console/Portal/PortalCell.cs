using Traceability.ProducerConsole.Catalog;
using Traceability.ProducerConsole.Web;
using Traceability.Storage;
using static Traceability.ProducerConsole.Web.Html;

namespace Traceability.ProducerConsole.Portal;

/// <summary>
/// A portal state as a table cell: sent, sending, waiting, refused with the portal's reason (its
/// message is Vietnamese) and a retry button, or blocked by the refused row it waits on, with a link
/// to where that row is corrected.
/// </summary>
internal static class PortalCell
{
    public const string RetryPath = "/console/portal/retry";

    /// <param name="what">What the row is, for the retry button's accessible name ("sản phẩm Chè …").</param>
    /// <param name="back">The console page to return to after a retry.</param>
    public static Html Render(Page page, PortalState state, string what, string back) => state.Stage switch
    {
        PortalStage.Sent => H($"<span class=\"portal portal-sent\">{page.T("Đã gửi", "Sent")}</span>"),
        PortalStage.Sending => H($"<span class=\"portal portal-waiting\">{page.T("Đang gửi", "Sending")}</span>"),
        PortalStage.Waiting => H($"<span class=\"portal portal-waiting\">{page.T("Chờ gửi", "Waiting")}</span>"),
        PortalStage.Refused => Refused(page, state.Row!, what, back),
        PortalStage.Blocked => H($"""
            <span class="portal portal-blocked">{page.T("Bị chặn", "Blocked")}</span>: {page.T("chờ", "waits for")}
            <a href="{FixUrl(state.BlockerKind!.Value, state.BlockerKey!)}">{Name(page, state.BlockerKind.Value, state.BlockerKey!)}</a>
            {page.T("đã bị Cổng quốc gia từ chối", "which the national portal refused")}
            """),
        _ => H($"<span class=\"portal\">—</span>"),
    };

    private static Html Refused(Page page, OutboxRow row, string what, string back)
    {
        var (code, message) = Reason(row.LastError);
        return H($"""
            <span class="portal portal-refused">{page.T("Bị từ chối", "Refused")}</span>: <span lang="vi">{message}</span>{When(code is not null, H($" <code>{code}</code>"))}
            <p class="hint">{Advice(page, code)}</p>
            <form method="post" action="{RetryPath}" class="inline">{page.Csrf()}
            <input type="hidden" name="kind" value="{row.Kind.ToString().ToLowerInvariant()}"><input type="hidden" name="key" value="{row.Key}">
            <input type="hidden" name="back" value="{back}">
            <button type="submit">{page.T("Gửi lại", "Send again")}<span class="visually-hidden"> {what}</span></button></form>
            """);
    }

    /// <summary>The worker stores the portal's answer as "maLoi: thongBao"; other failures have no code.</summary>
    internal static (string? Code, string Message) Reason(string? lastError)
    {
        if (string.IsNullOrEmpty(lastError)) return (null, "");
        var colon = lastError.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && lastError[..colon].All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_')
            ? (lastError[..colon], lastError[(colon + 2)..])
            : (null, lastError);
    }

    private static string Advice(Page page, string? code) => code switch
    {
        "HINH_ANH_KHONG_HOP_LE" => page.T(
            "Ảnh sản phẩm phải có địa chỉ công khai đầy đủ (https://…). Hãy tải ảnh lên lại hoặc sửa địa chỉ ảnh, rồi bấm “Gửi lại” nếu trạng thái chưa đổi.",
            "The product image needs a full public address (https://…). Upload the image again or fix its address, then press “Send again” if the state has not changed."),
        "MST_KHONG_HOP_LE" => page.T(
            "Mã số thuế của cơ sở không hợp lệ: hãy liên hệ đơn vị quản lý để sửa, rồi bấm “Gửi lại”.",
            "Your organisation's tax code is not valid: ask the administrator to correct it, then press “Send again”."),
        _ => page.T("Hãy sửa thông tin theo lý do trên, rồi bấm “Gửi lại”.", "Correct the data as the reason says, then press “Send again”."),
    };

    private static string Name(Page page, OutboxKind kind, string key) => kind switch
    {
        OutboxKind.Product => page.T("sản phẩm ", "product ") + key,
        OutboxKind.Lot => page.T("lô ", "lot ") + LotKey.LotOf(key),
        _ => key,
    };

    /// <summary>Where the producer corrects a refused row: a product's edit form, a lot's portal page.</summary>
    internal static string FixUrl(OutboxKind kind, string key) => kind switch
    {
        OutboxKind.Product => $"/console/products/{key}/edit",
        OutboxKind.Lot when key.Length > 21 => PortalPages.LotUrl(LotKey.GtinOf(key), LotKey.LotOf(key)),
        _ => "/console/lots",
    };
}
