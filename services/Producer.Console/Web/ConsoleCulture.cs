namespace Traceability.ProducerConsole.Web;

/// <summary>
/// The console's language: Vietnamese unless <c>?lang=en</c> was chosen, remembered in its own
/// cookie (<c>console_lang</c>, path <c>/console</c>) until <c>?lang=vi</c>. Only the UI culture is
/// set (numbers and dates keep the invariant formats the pages always had), and only on the
/// console's paths, so the rest of the host keeps its own language rules.
/// </summary>
internal static class ConsoleCulture
{
    public const string CookieName = "console_lang";

    private static readonly CultureInfo Vietnamese = new("vi");
    private static readonly CultureInfo English = new("en");

    public static void UseConsoleCulture(this IApplicationBuilder app) =>
        app.UseWhen(ctx => ctx.Request.Path.StartsWithSegments("/console"), branch => branch.Use(async (context, next) =>
        {
            CultureInfo.CurrentUICulture = Choose(context);
            await next(context);
        }));

    private static CultureInfo Choose(HttpContext context)
    {
        var asked = context.Request.Query["lang"].ToString();
        if (asked is "vi" or "en")
        {
            context.Response.Cookies.Append(CookieName, asked, new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps,
                MaxAge = TimeSpan.FromDays(365), Path = "/console",
            });
            return asked == "en" ? English : Vietnamese;
        }
        return context.Request.Cookies[CookieName] == "en" ? English : Vietnamese;
    }

    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    /// <summary>"vi" or "en": the key of the domain's bilingual texts (<c>LocalizedText.For</c>).</summary>
    public static string Lang => IsEnglish ? "en" : "vi";
}
