// A frozen copy of the hand-written page writer the Razor components replaced (services/Lookup.Api/Pages at
// commit 651a8fd), kept only as the page-render scenario's limit: the same page written on the same machine in
// the same run. Not the service's code; do not change it (its output differs a little from today's page: an
// inline stylesheet, older texts).
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Traceability.Domain.Verification;
using Traceability.Lookup.Api.Provenance;
using Traceability.Lookup.Api.Pages;
using Traceability.Storage;

namespace Traceability.Benchmarks.OldPage;

/// <summary>
/// Server-rendered pages: no script, one inline stylesheet (allowed by its CSP hash), every
/// value HTML-encoded. Mobile first; the warning banner is the first thing in the body.
/// </summary>
internal static class OldProvenancePage
{
    // Vietnamese letters stay literal instead of &#x…; entities (smaller, readable source).
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private static readonly TimeSpan Vietnam = Traceability.Domain.VietnamTime.Offset;

    // The assurance line under the title (issue 15): a green "verified" mark only for a signed serial
    // this service issued; a plain "registered" line otherwise, which never claims authenticity.
    private static readonly Text VerifiedMark = new("Đã xác thực: tem có chữ ký số do hệ thống cấp, đúng sản phẩm và lô này.",
        "Verified: a digitally signed label issued by this service for this product and lot.");
    private static readonly Text RegisteredLine = new("Đã đăng ký: sản phẩm và lô do {0} đăng ký. Mã lô có thể bị sao chép, nên mã này chưa chứng minh được sản phẩm là thật.",
        "Registered: the product and lot are registered by {0}. A lot code can be copied, so this is not proof of authenticity.");
    private static readonly Text InvalidSignatureBanner = new("CẢNH BÁO: Chữ ký số trên tem không hợp lệ — tem có thể bị làm giả. Không mua sản phẩm khi chưa được xác minh.",
        "WARNING: the label's digital signature is invalid — the label may be forged. Do not buy before it is checked.");
    private static readonly Text PhoneLabel = new("Điện thoại", "Phone");
    private static readonly Text WebsiteLabel = new("Trang web", "Website");
    private static readonly Text CertificateNumber = new("Giấy chứng nhận số {0}", "Certificate no. {0}");
    private static readonly Text IssuedBy = new("cấp bởi {0}", "issued by {0}");
    private static readonly Text ValidFromTo = new("hiệu lực từ {0} đến {1}", "valid from {0} to {1}");
    private static readonly Text ValidTo = new("hiệu lực đến {0}", "valid to {0}");
    private static readonly Text ValidFrom = new("hiệu lực từ {0}", "valid from {0}");
    private static readonly Text Expired = new("Hết hạn", "Expired");
    private static readonly Text ExpiredOn = new("đã hết hiệu lực ngày {0}", "validity ended on {0}");
    private static readonly Text SuspiciousBanner = new("CẢNH BÁO: Tem này có dấu hiệu bị sao chép. Hãy cẩn trọng và báo cho cơ quan quản lý.",
        "WARNING: this label shows signs of being copied. Be careful and report it.");

    private const string Css =
        "*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1a1a1a;background:#fff}" +
        "main,header,footer,.report{max-width:42rem;margin:0 auto;padding:0 1rem}" +
        "header{display:flex;justify-content:space-between;gap:1rem;padding-top:.75rem;font-size:.95rem}" +
        "a{color:#0645ad}h1{font-size:1.6rem;line-height:1.25;margin:.75rem 0}h2{font-size:1.2rem;margin:1.5rem 0 .5rem;border-bottom:2px solid #e5e5e5}" +
        ".banner{width:100%;padding:1rem;font-weight:700;font-size:1.15rem;text-align:center}" +
        ".red{background:#b00020;color:#fff}.amber{background:#ffb300;color:#1a1a1a}" +
        ".assurance{margin:0 0 .75rem;padding:.5rem .75rem;border-left:4px solid #888;background:#f4f4f4}" +
        ".assurance.verified{border-color:#1b5e20;background:#e8f5e9;color:#1b5e20;font-weight:700}" +
        ".banner p{margin:.25rem 0 0;font-weight:400;font-size:1rem}" +
        "img.product{width:100%;max-height:18rem;object-fit:contain;background:#f4f4f4}" +
        "dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}dl.contact{margin-top:.5rem}.certificates li{margin-bottom:.4rem}.expired{color:#b00020}dt{color:#555}dd{margin:0;overflow-wrap:anywhere}" +
        ".timeline{list-style:none;padding:0;margin:0;border-left:3px solid #2e7d32}" +
        ".timeline li{position:relative;padding:0 0 1rem 1rem}.timeline li::before{content:'';position:absolute;left:-.5rem;top:.4rem;width:.7rem;height:.7rem;border-radius:50%;background:#2e7d32}" +
        ".timeline time{display:block;color:#555;font-size:.9rem}.muted{color:#555}main p{overflow-wrap:anywhere}" + // a scanned URL never widens a phone screen
        ".timeline .corrected{margin:.2rem 0 0;color:#8a4b00;font-size:.9rem}.timeline .tag{font-size:.8rem;color:#2e5d8a}" +
        ".report{margin-top:2rem;padding-bottom:1rem;background:#f7f7f7}.report label{display:block;margin-top:.5rem}" +
        "select,textarea,input{width:100%;font:inherit;padding:.5rem;border:1px solid #888;border-radius:4px}" +
        "button{margin-top:.75rem;font:inherit;padding:.6rem 1.2rem;background:#0645ad;color:#fff;border:0;border-radius:4px}" +
        ".done{margin:1.5rem 0;padding:1rem;border-left:4px solid #2e7d32;background:#e8f5e9}.done.refused{border-color:#b00020;background:#fdecee}" +
        ".ref{font:700 1.2rem/1.4 ui-monospace,monospace;letter-spacing:.05em;overflow-wrap:anywhere}a.back{display:inline-block;margin:1rem 0;padding:.6rem 0}" +
        "footer{color:#555;font-size:.85rem;padding-bottom:2rem}";

    /// <summary>The Content-Security-Policy for every page: nothing runs, only this stylesheet applies.</summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Css)))}'; " +
        "img-src 'self' https: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static string Render(ProvenanceView view, string lang)
    {
        var t = Texts.For(lang);
        var name = view.Product.Name.For(lang);
        var h = new HtmlWriter();
        Head(h, t, name);
        Banner(h, t, view);
        Header(h, t);
        h.Raw("<main data-verdict=\"").Attr(view.Verdict ?? "").Raw("\" data-assurance=\"").Attr(view.Assurance ?? "").Raw("\">");
        h.Raw("<h1>").Text(name).Raw("</h1>");
        if (view.Assurance == Assurance.Verified)
            h.Raw("<p class=\"assurance verified\"><span aria-hidden=\"true\">✔ </span>").Text(VerifiedMark.For(lang)).Raw("</p>");
        else if (view.Assurance == Assurance.Registered)
            h.Raw("<p class=\"assurance\">").Text(string.Format(CultureInfo.InvariantCulture, RegisteredLine.For(lang), view.Producer.Name)).Raw("</p>");
        if (view.Product.ImageUrl is { } img)
            h.Raw("<img class=\"product\" src=\"").Attr(img).Raw("\" alt=\"").Attr(name).Raw("\">");

        h.Raw("<dl>");
        Fact(h, t.Brand, view.Product.Brand);
        Given(h, t, t.Category, view.Product.Category);
        Fact(h, t.Gtin, view.Product.Gtin);
        if (view.Lot is { } lot)
        {
            Fact(h, t.Lot, lot.Lot);
            Fact(h, t.ProductionDate, Date(lot.ProductionDate));
            Fact(h, t.ExpiryDate, Date(lot.ExpiryDate));
            if (lot.Quantity is { } q) Given(h, t, t.Quantity, lot.Uom, q.ToString(CultureInfo.InvariantCulture) + " ");
        }
        Fact(h, t.TraceCode, view.DigitalLink);
        h.Raw("</dl>");

        ProducerSection(h, t, view.Producer);
        StandardsSection(h, t, view.Product);

        if (view.Lot is not null)
        {
            h.Raw("<section><h2>").Text(t.Journey).Raw("</h2>");
            if (view.Events.Count == 0 && view.Origin is null) h.Raw("<p class=\"muted\">").Text(t.NoEvents).Raw("</p>");
            else
            {
                h.Raw("<ol class=\"timeline\">");
                if (view.Origin is { } origin) OriginStep(h, t, origin);
                foreach (var e in view.Events)
                {
                    h.Raw("<li><time datetime=\"").Attr(e.EventTime.ToString("O", CultureInfo.InvariantCulture)).Raw("\">")
                        .Text(DateTime(e.EventTime)).Raw("</time><strong>").Text(t.Step(e.BizStep, e.EventType)).Raw("</strong>");
                    if (e.Location is { } p) h.Raw(" — ").Text(Place(p));
                    if (e.Correction) h.Raw(" <span class=\"tag\">").Text(t.Correction).Raw("</span>");
                    if (e.Corrected) h.Raw("<p class=\"corrected\" role=\"note\">").Text(t.Corrected(e.CorrectionReason)).Raw("</p>");
                    h.Raw("</li>");
                }
                h.Raw("</ol>");
            }
            h.Raw("</section>");
            Links(h, t, t.Upstream, view.Upstream, lang);
            Links(h, t, t.Downstream, view.Downstream, lang);
        }
        h.Raw("</main>");
        ReportForm(h, t, view.DigitalLink);
        Footer(h, t);
        return h.ToString();
    }

    /// <summary>The page for a well-formed code that is not registered (served with 404).</summary>
    public static string RenderNotRegistered(string code, string lang)
    {
        var t = Texts.For(lang);
        var h = new HtmlWriter();
        Head(h, t, t.NotRegisteredTitle);
        h.Raw("<div class=\"banner red\" role=\"alert\">").Text(t.NotRegisteredTitle).Raw("</div>");
        Header(h, t);
        h.Raw("<main><h1>").Text(t.NotRegisteredTitle).Raw("</h1><p>").Text(t.NotRegisteredBody).Raw("</p><p class=\"muted\">")
            .Text(code).Raw("</p></main>");
        ReportForm(h, t, code, category: "counterfeit");
        Footer(h, t);
        return h.ToString();
    }

    /// <summary>The page for a malformed code (served with 400), with the reason.</summary>
    public static string RenderMalformed(string code, string reason, string lang)
    {
        var t = Texts.For(lang);
        var h = new HtmlWriter();
        Head(h, t, t.MalformedTitle);
        Header(h, t);
        h.Raw("<main><h1>").Text(t.MalformedTitle).Raw("</h1><p>").Text(reason).Raw("</p><p class=\"muted\">").Text(code).Raw("</p></main>");
        ReportForm(h, t, code, category: "counterfeit");
        Footer(h, t);
        return h.ToString();
    }

    internal static void Head(HtmlWriter h, Texts t, string title) =>
        h.Raw("<!DOCTYPE html><html lang=\"").Attr(t.Lang).Raw("\"><head><meta charset=\"utf-8\">")
            .Raw("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>").Text(title).Raw(" — ")
            .Text(t.SiteTitle).Raw("</title><style>").Raw(Css).Raw("</style></head><body>");

    private static void Header(HtmlWriter h, Texts t) =>
        h.Raw("<header><a href=\"?lang=").Attr(t.OtherLanguageCode).Raw("\" hreflang=\"").Attr(t.OtherLanguageCode)
            .Raw("\" lang=\"").Attr(t.OtherLanguageCode).Raw("\">").Text(t.OtherLanguage).Raw("</a><a href=\"#report\">")
            .Text(t.Report).Raw("</a></header>");

    private static void Banner(HtmlWriter h, Texts t, ProvenanceView view)
    {
        // The label's own warning (a signature that fails, clone signals) comes first, then the lot's status.
        if (view.Verdict == Verdicts.InvalidSignature)
            h.Raw("<div class=\"banner red\" role=\"alert\">").Text(InvalidSignatureBanner.For(t.Lang)).Raw("</div>");
        else if (view.Verdict == Verdicts.Suspicious)
            h.Raw("<div class=\"banner amber\" role=\"alert\">").Text(SuspiciousBanner.For(t.Lang)).Raw("</div>");
        var (css, text) = view.Status switch
        {
            "recalled" => ("red", t.RecalledBanner),
            "suspended" => ("red", t.SuspendedBanner),
            "expired" => ("amber", t.ExpiredBanner),
            _ => ("", ""),
        };
        if (text.Length == 0) return;
        h.Raw("<div class=\"banner ").Raw(css).Raw("\" role=\"alert\">").Text(text);
        if (view.Recall is { } r)
        {
            h.Raw("<p>").Text(t.RecallReason).Raw(": ");
            Term(h, t, r.Reason);
            h.Raw(" (").Text(Date(DateOnly.FromDateTime(r.IssuedAt.ToOffset(Vietnam).DateTime)) ?? "").Raw(")</p>");
        }
        h.Raw("</div>");
    }

    private static void ProducerSection(HtmlWriter h, Texts t, ProducerView p)
    {
        h.Raw("<section id=\"producer\"><h2>").Text(t.Producer).Raw("</h2><p><strong>").Text(p.Name).Raw("</strong><br>")
            .Text(p.Address).Raw(", ").Text(p.Province).Raw("</p>");
        if (p.Phone is not null || p.Website is not null)
        {
            h.Raw("<dl class=\"contact\">");
            if (p.Phone is { } phone)
            {
                // tel: takes digits and a leading + only; the number shows as the producer wrote it.
                var dial = new string(phone.Where(c => char.IsAsciiDigit(c) || c == '+').ToArray());
                h.Raw("<dt>").Text(PhoneLabel.For(t.Lang)).Raw("</dt><dd><a href=\"tel:").Attr(dial).Raw("\">").Text(phone).Raw("</a></dd>");
            }
            if (p.Website is { } site)
                h.Raw("<dt>").Text(WebsiteLabel.For(t.Lang)).Raw("</dt><dd><a href=\"").Attr(site).Raw("\" rel=\"noopener nofollow\">")
                    .Text(site).Raw("</a></dd>");
            h.Raw("</dl>");
        }
        h.Raw("</section>");
    }

    /// <summary>Each certificate with its number, issuer and validity; then the standards no certificate covers.</summary>
    private static void StandardsSection(HtmlWriter h, Texts t, ProductView product)
    {
        var certified = product.Certificates.Select(c => c.Standard).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var bare = product.Standards.Where(s => !certified.Contains(s)).ToList();
        if (product.Certificates.Count == 0 && bare.Count == 0) return;
        h.Raw("<section id=\"standards\"><h2>").Text(t.Standards).Raw("</h2><ul class=\"certificates\">");
        foreach (var c in product.Certificates)
        {
            h.Raw("<li><strong>").Text(c.Standard).Raw("</strong>");
            // A lapsed certificate is said to be so first, never listed as if in force.
            if (c.Expired) h.Raw(" <strong class=\"expired\">").Text(Expired.For(t.Lang)).Raw("</strong>");
            var details = new List<string>();
            if (c.Number is not null) details.Add(Format(CertificateNumber, t, c.Number));
            if (c.Issuer is not null) details.Add(Format(IssuedBy, t, c.Issuer));
            if (c.Expired) details.Add(Format(ExpiredOn, t, Date(c.ValidTo)!));
            else if (c.ValidFrom is not null && c.ValidTo is not null) details.Add(Format(ValidFromTo, t, Date(c.ValidFrom)!, Date(c.ValidTo)!));
            else if (c.ValidTo is not null) details.Add(Format(ValidTo, t, Date(c.ValidTo)!));
            else if (c.ValidFrom is not null) details.Add(Format(ValidFrom, t, Date(c.ValidFrom)!));
            if (details.Count > 0) h.Raw("<br><span class=\"muted\">").Text(string.Join(", ", details)).Raw("</span>");
            h.Raw("</li>");
        }
        foreach (var s in bare) h.Raw("<li><strong>").Text(s).Raw("</strong></li>");
        h.Raw("</ul></section>");
    }

    private static string Format(Text text, Texts t, params object[] args) => string.Format(CultureInfo.InvariantCulture, text.For(t.Lang), args);

    /// <summary>The journey starts where the product comes from, by the place's name (never its kind).</summary>
    private static void OriginStep(HtmlWriter h, Texts t, OriginView o)
    {
        h.Raw("<li class=\"origin\"><strong>").Text(t.Origin).Raw("</strong> — ").Text(o.Province is null ? o.Name : $"{o.Name}, {o.Province}");
        if (o.Latitude is { } lat && o.Longitude is { } lon)
        {
            var coords = $"{lat.ToString("0.#####", CultureInfo.InvariantCulture)},{lon.ToString("0.#####", CultureInfo.InvariantCulture)}";
            h.Raw("<br><span class=\"muted\">").Text(Coordinates(lat, lon)).Raw("</span> · <a href=\"geo:").Attr(coords).Raw("\">")
                .Text(t.OpenInMaps).Raw("</a>");
        }
        h.Raw("</li>");
    }

    private static void Links(HtmlWriter h, Texts t, string title, IReadOnlyList<TraceLinkView> links, string lang)
    {
        if (links.Count == 0) return;
        h.Raw("<section><h2>").Text(title).Raw("</h2><ul>");
        foreach (var l in links)
        {
            h.Raw("<li>");
            if (l.DigitalLink is not null)
            {
                h.Raw("<a href=\"").Attr(l.DigitalLink).Raw(lang == "en" ? "?lang=en" : "").Raw("\">")
                    .Text(l.ProductName?.For(lang) ?? l.Gtin ?? "").Raw(" — ").Text(t.Lot).Raw(" ").Text(l.Lot ?? "").Raw("</a>");
                if (l.ProducerName is not null) h.Raw(" · ").Text(l.ProducerName);
            }
            else
            {
                h.Text(l.Via == "shipping" ? t.ShippedTo : t.ReceivedBy).Raw(": ");
                h.Text(string.Join(" · ", new[] { l.ProducerName, l.Location is null ? null : Place(l.Location) }.Where(s => s is not null)));
            }
            h.Raw(" <span class=\"muted\">").Text(DateTime(l.EventTime)).Raw("</span></li>");
        }
        h.Raw("</ul></section>");
    }

    private static void ReportForm(HtmlWriter h, Texts t, string code, string? category = null)
    {
        // The language rides on the action's query, so the thank-you page and a rate-limit refusal
        // (which answers before the form is read) speak the page's language.
        h.Raw("<section id=\"report\" class=\"report\"><h2>").Text(t.Report).Raw("</h2><p>").Text(t.ReportIntro).Raw("</p>")
            .Raw("<form method=\"post\" action=\"").Attr(ReportPages.SubmitPath).Raw(t.Lang == "en" ? "?lang=en" : "")
            .Raw("\"><input type=\"hidden\" name=\"code\" value=\"").Attr(code).Raw("\">")
            .Raw("<label for=\"r-cat\">").Text(t.ReportCategory).Raw("</label><select id=\"r-cat\" name=\"category\">");
        foreach (var value in ReportCategories.All)
        {
            h.Raw("<option value=\"").Attr(value).Raw(value == category ? "\" selected>" : "\">")
                .Text(t.ReportCategories[value]).Raw("</option>");
        }
        h.Raw("</select><label for=\"r-msg\">").Text(t.ReportMessage).Raw("</label><textarea id=\"r-msg\" name=\"message\" rows=\"3\" required maxlength=\"2000\"></textarea>")
            .Raw("<label for=\"r-contact\">").Text(t.ReportContact).Raw("</label><input id=\"r-contact\" name=\"contact\" maxlength=\"200\" autocomplete=\"tel\">")
            .Raw("<button type=\"submit\">").Text(t.ReportSend).Raw("</button></form></section>");
    }

    internal static void Footer(HtmlWriter h, Texts t) =>
        h.Raw("<footer><p>").Text(t.Footer).Raw("</p></footer></body></html>");

    private const string VietnameseOnly = "in Vietnamese, as the producer gave it";

    /// <summary>A fact whose value a producer typed (category, unit): on the English page translated or marked Vietnamese.</summary>
    private static void Given(HtmlWriter h, Texts t, string label, string? value, string prefix = "")
    {
        if (string.IsNullOrEmpty(value) && prefix.Length == 0) return;
        h.Raw("<dt>").Text(label).Raw("</dt><dd>").Text(prefix);
        if (!string.IsNullOrEmpty(value)) Term(h, t, value);
        h.Raw("</dd>");
    }

    private static void Term(HtmlWriter h, Texts t, string value)
    {
        if (t.Lang != "en")
        {
            h.Text(value);
            return;
        }
        var (text, vietnamese) = ProducerTerms.ForEnglish(value);
        if (!vietnamese) h.Text(text);
        else h.Raw("<span lang=\"vi\">").Text(text).Raw("</span> (").Text(VietnameseOnly).Raw(")");
    }

    private static void Fact(HtmlWriter h, string label, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        h.Raw("<dt>").Text(label).Raw("</dt><dd>").Text(value).Raw("</dd>");
    }

    private static string Place(PlaceView p) => p.Province is null ? p.Name : $"{p.Name}, {p.Province}";

    private static string? Date(DateOnly? d) => d?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    // A time stored before capture checked its window (9999-12-31T23:59:59Z) has no Vietnam time: show it in UTC.
    private static string DateTime(DateTimeOffset t) =>
        (t.UtcDateTime <= System.DateTime.MaxValue - Vietnam ? t.ToOffset(Vietnam) : t.ToUniversalTime())
            .ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

    private static string Coordinates(double lat, double lon) =>
        string.Create(CultureInfo.InvariantCulture, $"{Math.Abs(lat):0.####}° {(lat >= 0 ? 'N' : 'S')}, {Math.Abs(lon):0.####}° {(lon >= 0 ? 'E' : 'W')}");

    internal sealed class HtmlWriter
    {
        private readonly StringBuilder _sb = new(4096);

        public HtmlWriter Raw(string html)
        {
            _sb.Append(html);
            return this;
        }

        public HtmlWriter Text(string text)
        {
            _sb.Append(Encoder.Encode(text));
            return this;
        }

        public HtmlWriter Attr(string text) => Text(text);

        public override string ToString() => _sb.ToString();
    }
}
