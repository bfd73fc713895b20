using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Traceability.ServiceDefaults.Auth;
using static Traceability.ProducerConsole.Web.Html;

namespace Traceability.ProducerConsole.Web;

/// <summary>Field errors keyed like the services' Outcome.Errors ("name.vi", "gtin").</summary>
public sealed class FieldErrors : Dictionary<string, string[]>
{
    public FieldErrors() : base(StringComparer.Ordinal) { }

    public FieldErrors(IReadOnlyDictionary<string, string[]>? errors) : this()
    {
        foreach (var (k, v) in errors ?? new Dictionary<string, string[]>()) this[k] = v;
    }

    public void Add(string field, string message) =>
        this[field] = TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    /// <summary>Messages for a field and its sub-paths ("standards" also shows "standards[2]").</summary>
    public IEnumerable<string> For(string field) =>
        this.Where(e => e.Key == field || e.Key.StartsWith(field + "[", StringComparison.Ordinal) || e.Key.StartsWith(field + ".", StringComparison.Ordinal))
            .SelectMany(e => e.Value);
}

/// <summary>One request's page kit: language, the signed-in producer, the anti-forgery token, form fields, layout.</summary>
public sealed class Page(HttpContext context, Ui ui)
{
    public HttpContext Context { get; } = context;
    public Ui Ui { get; } = ui;

    public string ProducerId => Context.User.ProducerId() ?? throw new InvalidOperationException("Not signed in.");

    public string T(string vi, string en) => Ui.T(vi, en);

    public static Page For(HttpContext context) => new(context, Ui.For(context));

    public Html Csrf()
    {
        var tokens = Context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(Context);
        return H($"<input type=\"hidden\" name=\"{tokens.FormFieldName}\" value=\"{tokens.RequestToken}\">");
    }

    /// <summary>Checks the anti-forgery token of a form post; false when it is missing or wrong.</summary>
    public async Task<bool> IsValidPostAsync() =>
        await Context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(Context);

    public IResult Refused() => Render(T("Yêu cầu bị từ chối", "Request refused"),
        H($"<p class=\"alert\" role=\"alert\">{T("Biểu mẫu thiếu mã bảo vệ hoặc mã đã hết hạn. Hãy mở lại trang và gửi lại.", "The form's protection token is missing or expired. Reload the page and submit again.")}</p>"),
        StatusCodes.Status400BadRequest);

    public static string Id(string name) => "f-" + new string(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());

    private Html Label(string name, string label, bool required) =>
        H($"<label for=\"{Id(name)}\">{label}{When(required, H($" <span class=\"req\" aria-hidden=\"true\">*</span>"))}</label>");

    private Html ErrorsOf(string name, FieldErrors errors)
    {
        var messages = errors.For(name).ToList();
        return messages.Count == 0
            ? Empty
            : H($"<p class=\"error\" id=\"{Id(name)}-error\">{string.Join(" ", messages.Select(Ui.Error))}</p>");
    }

    private Html Described(string name, FieldErrors errors, string? hint)
    {
        var ids = new List<string>();
        if (hint is not null) ids.Add(Id(name) + "-hint");
        if (errors.For(name).Any()) ids.Add(Id(name) + "-error");
        return ids.Count == 0
            ? Empty
            : H($" aria-describedby=\"{string.Join(' ', ids)}\"{When(errors.For(name).Any(), Raw(" aria-invalid=\"true\""))}");
    }

    private Html Hint(string name, string? hint) => hint is null ? Empty : H($"<p class=\"hint\" id=\"{Id(name)}-hint\">{hint}</p>");

    public Html Input(string name, string label, string? value, FieldErrors errors, string type = "text",
        bool required = false, string? hint = null, Html attributes = default) =>
        H($"""
        <div class="field">{Label(name, label, required)}{Hint(name, hint)}
        <input id="{Id(name)}" name="{name}" type="{type}" value="{value}"{When(required, Raw(" required"))}{Described(name, errors, hint)} {attributes}>
        {ErrorsOf(name, errors)}</div>
        """);

    public Html TextArea(string name, string label, string? value, FieldErrors errors, string? hint = null) =>
        H($"""
        <div class="field">{Label(name, label, false)}{Hint(name, hint)}
        <textarea id="{Id(name)}" name="{name}" rows="3"{Described(name, errors, hint)}>{value}</textarea>
        {ErrorsOf(name, errors)}</div>
        """);

    public Html Select(string name, string label, IEnumerable<(string Value, string Text)> options, string? selected,
        FieldErrors errors, bool required = false, string? hint = null, string? placeholder = null) =>
        H($"""
        <div class="field">{Label(name, label, required)}{Hint(name, hint)}
        <select id="{Id(name)}" name="{name}"{When(required, Raw(" required"))}{Described(name, errors, hint)}>
        {When(placeholder is not null, H($"<option value=\"\">{placeholder}</option>"))}
        {options.Select(o => H($"<option value=\"{o.Value}\"{When(o.Value == selected, Raw(" selected"))}>{o.Text}</option>"))}
        </select>
        {ErrorsOf(name, errors)}</div>
        """);

    /// <summary>Errors that belong to no field of the form (shown at the top).</summary>
    public Html Summary(FieldErrors errors, params string[] shownFields)
    {
        var rest = errors.Where(e => !shownFields.Any(f => e.Key == f || e.Key.StartsWith(f + "[", StringComparison.Ordinal) || e.Key.StartsWith(f + ".", StringComparison.Ordinal)))
            .SelectMany(e => e.Value).ToList();
        var count = errors.Values.Sum(v => v.Length);
        if (count == 0) return Empty;
        return H($"""
            <div class="alert" role="alert"><p>{T("Chưa lưu được: hãy sửa các lỗi được đánh dấu.", "Not saved: please fix the marked errors.")}</p>
            {When(rest.Count > 0, H($"<ul>{rest.Select(m => H($"<li>{Ui.Error(m)}</li>"))}</ul>"))}</div>
            """);
    }

    /// <summary>The page shell: header with navigation (when signed in), language switch, main content.</summary>
    public IResult Render(string title, Html body, int status = StatusCodes.Status200OK, Html head = default)
    {
        var signedIn = Context.User.Identity?.IsAuthenticated == true && Context.User.ProducerId() is not null
            && Context.User.Identity.AuthenticationType == ConsoleAuth.Scheme;
        var path = Context.Request.Path.Value ?? "/console";
        var other = Ui.En ? "vi" : "en";
        var nav = signedIn
            ? H($"""
                <nav aria-label="{T("Chức năng", "Sections")}"><ul>
                <li><a href="/console/events/new">{T("Ghi sự kiện", "Record event")}</a></li>
                <li><a href="/console/lots">{T("Lô hàng", "Lots")}</a></li>
                <li><a href="/console/products">{T("Sản phẩm", "Products")}</a></li>
                <li><a href="/console/locations">{T("Địa điểm", "Locations")}</a></li>
                <li><a href="/console/transform">{T("Chế biến", "Processing")}</a></li>
                <li><a href="/console/labels">{T("In tem", "Labels")}</a></li>
                <li><a href="/console/import">{T("Nhập tệp", "Import")}</a></li>
                <li><a href="/console/contact">{T("Liên hệ công khai", "Public contact")}</a></li>
                <li><a href="/console/alerts">{T("Cảnh báo", "Alerts")}</a></li>
                {When(Context.User.IsConsoleAdmin(), H($"<li><a href=\"{UserPages.UsersPath}\">{T("Tài khoản", "Accounts")}</a></li>"))}
                {When(Context.User.ConsoleUserId() is not null, H($"<li><a href=\"{UserPages.PasswordPath}\">{T("Đổi mật khẩu", "Change password")}</a></li>"))}
                </ul>
                <form method="post" action="/console/signout" class="inline">{Csrf()}<button type="submit" class="link">{T("Đăng xuất", "Sign out")}</button></form>
                </nav>
                """)
            : Empty;
        var html = H($"""
            <!DOCTYPE html>
            <html lang="{Ui.Lang}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · {T("Bảng điều khiển nhà sản xuất", "Producer console")}</title>
            <link rel="stylesheet" href="{Assets.ConsoleCss}"><script src="{Assets.Script}" defer></script>{head}</head>
            <body>
            <header><a class="brand" href="/console">{T("Truy xuất nguồn gốc", "Traceability")}</a>
            <a class="lang" href="{path}?lang={other}" lang="{other}">{(Ui.En ? "Tiếng Việt" : "English")}</a>
            {nav}</header>
            <main id="main"><h1>{title}</h1>
            {body}
            </main>
            </body></html>
            """);
        return new HtmlResult(html.Value, status);
    }

    private sealed class HtmlResult(string html, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "text/html; charset=utf-8";
            httpContext.Response.Headers.CacheControl = "no-store";
            httpContext.Response.Headers["X-Content-Type-Options"] = "nosniff";
            httpContext.Response.Headers["Referrer-Policy"] = "same-origin";
            return httpContext.Response.WriteAsync(html, Encoding.UTF8);
        }
    }
}

/// <summary>Reads an urlencoded or multipart form after the anti-forgery check.</summary>
public static class FormExtensions
{
    public static string? Get(this IFormCollection form, string name) =>
        form.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;

    public static string? UserName(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Name);
}
