using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Traceability.ProducerConsole.Web;

/// <summary>
/// A console page: a Razor component rendered on the server (static SSR) as the endpoint's result,
/// so the endpoint keeps its route, filters, status code and redirects, and the page is never cached
/// (it shows one producer's data).
/// </summary>
internal sealed class PageResult(IResult component, CultureInfo? culture) : IResult
{
    /// <param name="parameters">The component's parameters: an anonymous object, or a dictionary by name.</param>
    /// <param name="culture">The page's language when the request's is not the one (the API's label sheet: ?lang=).</param>
    public static IResult Of<TComponent>(object? parameters = null, int status = StatusCodes.Status200OK, string? culture = null) where TComponent : IComponent =>
        new PageResult(parameters is IReadOnlyDictionary<string, object?> byName
            ? new RazorComponentResult<TComponent>(byName) { StatusCode = status }
            : new RazorComponentResult<TComponent>(parameters ?? new { }) { StatusCode = status },
            culture is null ? null : CultureInfo.GetCultureInfo(culture));

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.CacheControl = "no-store";
        httpContext.Response.Headers.XContentTypeOptions = "nosniff";
        httpContext.Response.Headers["Referrer-Policy"] = "same-origin";
        // Set here, in the method that awaits the rendering, so the change reaches it (and ends with it).
        if (culture is not null) CultureInfo.CurrentUICulture = culture;
        await component.ExecuteAsync(httpContext);
    }
}

/// <summary>The pages every console form may answer with.</summary>
internal static class Pages
{
    /// <summary>A form post without a valid anti-forgery token (400).</summary>
    public static IResult Refused() =>
        PageResult.Of<Layout.Notice>(new { TitleKey = "Refused_Title", TextKey = "Refused_Text" }, StatusCodes.Status400BadRequest);

    /// <summary>A form whose write found the disk full (507): nothing was saved.</summary>
    public static IResult DiskFull() =>
        PageResult.Of<Layout.Notice>(new { TitleKey = "DiskFull_Title", TextKey = "DiskFull_Text", Back = true }, StatusCodes.Status507InsufficientStorage);

    /// <summary>Something of another producer's, or nothing at all (404 unless the outcome says otherwise): the same answer for both.</summary>
    public static IResult NotFound(string textKey, int status = StatusCodes.Status404NotFound) =>
        PageResult.Of<Layout.Notice>(new { TitleKey = "NotFound", TextKey = textKey, Live = false }, status);

    /// <summary>A service's refusal as the whole page (its message translated).</summary>
    public static IResult NotFoundMessage(string? message, int status) =>
        PageResult.Of<Layout.Notice>(new { TitleKey = "NotFound", Message = message ?? "", Live = false }, status);

    /// <summary>Reads a form post after checking its anti-forgery token; null when the token is missing or wrong.</summary>
    public static async Task<IFormCollection?> ReadPostAsync(HttpContext context) =>
        await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context)
            ? await context.Request.ReadFormAsync(context.RequestAborted)
            : null;
}
