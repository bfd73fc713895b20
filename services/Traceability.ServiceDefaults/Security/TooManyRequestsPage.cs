using System.Text;

namespace Traceability.ServiceDefaults.Security;

/// <summary>
/// The site-wide rate limit's answer to a browser (issue 21 point 11): a short page in Vietnamese
/// (English with <c>?lang=en</c>, as the consumer pages), never raw JSON. Self-contained under the
/// default CSP: no script, no style, so it reads on any phone without anything else loading.
/// </summary>
public static class TooManyRequestsPage
{
    /// <summary>A browser's navigation: it asks for HTML (API clients ask for JSON or anything).</summary>
    public static bool Wanted(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    public static Task WriteAsync(HttpContext context, int retryAfterSeconds)
    {
        if (context.Response.HasStarted) return Task.CompletedTask;
        var en = context.Request.Query["lang"].ToString() == "en";
        var wait = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var (title, body, again) = en
            ? ("Too many requests", $"Many requests came from your network in a short time. Please wait about {wait} seconds and try again.", "Try again")
            : ("Quá nhiều yêu cầu", $"Mạng của bạn đã gửi nhiều yêu cầu trong thời gian ngắn. Vui lòng đợi khoảng {wait} giây rồi thử lại.", "Thử lại");
        // A page opened (GET) is retried by the same address; a refused form post leads home.
        var retry = System.Net.WebUtility.HtmlEncode(HttpMethods.IsGet(context.Request.Method)
            ? context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent() : "/");
        var html = $"""
            <!DOCTYPE html>
            <html lang="{(en ? "en" : "vi")}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title}</title></head>
            <body><main><h1>{title}</h1><p role="alert">{body}</p><p><a href="{retry}">{again}</a></p></main></body></html>
            """;
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(html, Encoding.UTF8, context.RequestAborted);
    }
}
