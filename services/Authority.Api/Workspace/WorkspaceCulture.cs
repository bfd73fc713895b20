using Microsoft.AspNetCore.Localization;

namespace Traceability.Authority.Api.Workspace;

/// <summary>
/// Vietnamese first; English with <c>?lang=en</c>, remembered in the <c>lang</c> cookie so every
/// later page stays English until <c>?lang=vi</c>. Applied to the workspace's paths only, so the
/// rest of the host keeps its own language rules.
/// </summary>
internal static class WorkspaceCulture
{
    public const string Cookie = "lang";

    public static void UseWorkspaceCulture(this IApplicationBuilder app)
    {
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("vi"),
            SupportedCultures = [new CultureInfo("vi"), new CultureInfo("en")],
            SupportedUICultures = [new CultureInfo("vi"), new CultureInfo("en")],
            RequestCultureProviders = [new CustomRequestCultureProvider(ctx => Task.FromResult<ProviderCultureResult?>(Choose(ctx)))],
        };
        app.UseWhen(ctx => WorkspaceExtensions.IsWorkspacePath(ctx.Request.Path), branch => branch.UseRequestLocalization(options));
    }

    private static ProviderCultureResult? Choose(HttpContext ctx)
    {
        var asked = ctx.Request.Query["lang"].ToString();
        if (asked is "vi" or "en")
        {
            ctx.Response.Cookies.Append(Cookie, asked, new CookieOptions
            {
                Path = "/", HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, MaxAge = TimeSpan.FromDays(365),
                Secure = ctx.Request.IsHttps,
            });
            return new ProviderCultureResult(asked);
        }
        return ctx.Request.Cookies[Cookie] is "en" ? new ProviderCultureResult("en") : null;
    }

    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";
}
