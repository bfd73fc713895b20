using System.Globalization;
using Microsoft.AspNetCore.Http;
using Traceability.Domain.DigitalLinks;
using Traceability.Domain.Verification;
using Traceability.Lookup.Api.Resolver;

namespace Traceability.Lookup.Api.Pages;

/// <summary>
/// The pages a browser sees after the provenance page's report form: the thank-you page (reached by
/// post-redirect-get, so a refresh does not send the report again), the rate-limit refusal and the
/// form's errors. They share the provenance page's stylesheet and CSP, and its language.
/// The report feature (Authority.Api) decides when each is shown.
/// </summary>
public static class ReportPages
{
    /// <summary>Where the form posts (the report API, which also takes JSON).</summary>
    public const string SubmitPath = "/api/v1/reports";

    /// <summary>The thank-you page the form post is redirected to: <c>?ref={report id}&amp;lang=&amp;code=</c>.</summary>
    public const string ThanksPath = "/reports/thanks";

    public static string ContentSecurityPolicy => ProvenancePage.ContentSecurityPolicy;

    /// <summary>The page's language: <c>?lang=</c>, else Accept-Language; Vietnamese by default.</summary>
    public static string Language(HttpRequest request) => Negotiation.Language(request);

    private static readonly Text ThanksTitle = new("Cảm ơn bạn đã phản ánh", "Thank you for your report");
    private static readonly Text ThanksBody = new("Phản ánh của bạn đã được gửi đến cơ quan quản lý.",
        "Your report has been sent to the authorities.");
    private static readonly Text ReferenceLabel = new("Mã tiếp nhận", "Reference number");
    private static readonly Text ReferenceHint = new("Hãy ghi lại mã này để nhắc đến khi liên hệ với cơ quan quản lý.",
        "Note this number to quote it when you contact the authorities.");
    private static readonly Text Back = new("← Quay lại trang sản phẩm", "← Back to the product page");
    private static readonly Text TooManyTitle = new("Bạn đã gửi nhiều phản ánh trong thời gian ngắn", "You have sent many reports in a short time");
    private static readonly Text TooManyBody = new("Phản ánh này chưa được gửi. Vui lòng thử lại sau khoảng {0} phút.",
        "This report was not sent. Please try again in about {0} minutes.");
    private static readonly Text InvalidTitle = new("Phản ánh chưa được gửi", "The report was not sent");
    private static readonly Text InvalidHint = new("Hãy quay lại, sửa và gửi lại.", "Go back, correct it and send it again.");

    /// <summary>The form's field errors in the page's language (the API's own messages are for developers).</summary>
    private static readonly IReadOnlyDictionary<string, Text> FieldErrors = new Dictionary<string, Text>
    {
        ["category"] = new("Hãy chọn loại vấn đề trong danh sách.", "Choose a problem from the list."),
        ["message"] = new("Hãy viết nội dung phản ánh (tối đa 2.000 ký tự).", "Write what is wrong (at most 2,000 characters)."),
        ["contact"] = new("Thông tin liên hệ dài quá 200 ký tự.", "The contact is longer than 200 characters."),
        ["code"] = new("Mã sản phẩm dài quá 500 ký tự.", "The product code is longer than 500 characters."),
    };
    private static readonly Text UnreadableForm = new("Không đọc được biểu mẫu.", "The form could not be read.");

    /// <summary>The thank-you page's address for a report taken from the form.</summary>
    public static string ThanksUrl(string reference, string? code, string lang) =>
        $"{ThanksPath}?ref={Uri.EscapeDataString(reference)}&lang={lang}" +
        (BackPath(code, lang) is null ? "" : "&code=" + Uri.EscapeDataString(code!));

    public static string ThankYou(string reference, string? code, string lang)
    {
        var t = Texts.For(lang);
        var h = new ProvenancePage.HtmlWriter();
        ProvenancePage.Head(h, t, ThanksTitle.For(lang));
        h.Raw("<main><div class=\"done\" role=\"status\"><h1>").Text(ThanksTitle.For(lang)).Raw("</h1><p>").Text(ThanksBody.For(lang))
            .Raw("</p><p>").Text(ReferenceLabel.For(lang)).Raw(":<br><span class=\"ref\" id=\"reference\">").Text(reference)
            .Raw("</span></p><p class=\"muted\">").Text(ReferenceHint.For(lang)).Raw("</p></div>");
        BackLink(h, code, lang);
        h.Raw("</main>");
        ProvenancePage.Footer(h, t);
        return h.ToString();
    }

    public static string TooMany(int retryAfterSeconds, string lang)
    {
        var t = Texts.For(lang);
        var minutes = Math.Max(1, (int)Math.Ceiling(retryAfterSeconds / 60.0));
        var h = new ProvenancePage.HtmlWriter();
        ProvenancePage.Head(h, t, TooManyTitle.For(lang));
        h.Raw("<main><div class=\"done refused\" role=\"alert\"><h1>").Text(TooManyTitle.For(lang)).Raw("</h1><p>")
            .Text(string.Format(CultureInfo.InvariantCulture, TooManyBody.For(lang), minutes)).Raw("</p></div></main>");
        ProvenancePage.Footer(h, t);
        return h.ToString();
    }

    /// <summary>The form's errors by field (keys as the API names them; an empty list = the form was unreadable).</summary>
    public static string Invalid(IEnumerable<string> fields, string? code, string lang)
    {
        var t = Texts.For(lang);
        var h = new ProvenancePage.HtmlWriter();
        ProvenancePage.Head(h, t, InvalidTitle.For(lang));
        h.Raw("<main><div class=\"done refused\" role=\"alert\"><h1>").Text(InvalidTitle.For(lang)).Raw("</h1><ul>");
        var any = false;
        foreach (var f in fields)
        {
            any = true;
            h.Raw("<li>").Text((FieldErrors.TryGetValue(f, out var e) ? e : UnreadableForm).For(lang)).Raw("</li>");
        }
        if (!any) h.Raw("<li>").Text(UnreadableForm.For(lang)).Raw("</li>");
        h.Raw("</ul><p>").Text(InvalidHint.For(lang)).Raw("</p></div>");
        BackLink(h, code, lang);
        h.Raw("</main>");
        ProvenancePage.Footer(h, t);
        return h.ToString();
    }

    private static void BackLink(ProvenancePage.HtmlWriter h, string? code, string lang)
    {
        if (BackPath(code, lang) is { } back)
            h.Raw("<p><a class=\"back\" href=\"").Attr(back).Raw("\">").Text(Back.For(lang)).Raw("</a></p>");
    }

    /// <summary>
    /// The scanned code's page on this host (a relative path, so the link can never lead elsewhere),
    /// or null when the code is not a Digital Link. A plain link, not history.back(): it needs no script.
    /// A signed serial keeps its signature, or its page would warn that the signature is missing.
    /// </summary>
    public static string? BackPath(string? code, string lang)
    {
        if (code is null || !DigitalLink.TryParse(code, out var link, out _)) return null;
        var path = link.PathAndQuery;
        return lang == "en" ? path + (path.Contains('?') ? "&" : "?") + "lang=en" : path;
    }
}
