using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Traceability.ProducerConsole.Web;

/// <summary>
/// The user's language for one request: Vietnamese unless <c>?lang=en</c> was chosen (remembered
/// in a cookie). Strings sit where they are used, as <c>ui.T("vi", "en")</c> pairs.
/// </summary>
public sealed partial class Ui(string lang)
{
    public const string CookieName = "console_lang";

    public string Lang { get; } = lang;

    public bool En => Lang == "en";

    public string T(string vi, string en) => En ? en : vi;

    public static Ui For(HttpContext context)
    {
        var asked = context.Request.Query["lang"].ToString();
        if (asked is "vi" or "en")
        {
            context.Response.Cookies.Append(CookieName, asked, new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps,
                MaxAge = TimeSpan.FromDays(365), Path = "/console",
            });
            return new Ui(asked);
        }
        return new Ui(context.Request.Cookies[CookieName] == "en" ? "en" : "vi");
    }

    /// <summary>The shared services' English message, in this request's language (see <see cref="ServiceMessages"/>).</summary>
    public string Error(string message) => ServiceMessages.Translate(message, En);
}
