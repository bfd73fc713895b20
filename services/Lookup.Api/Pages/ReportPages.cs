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

    public static string ContentSecurityPolicy => PageAssets.ContentSecurityPolicy;

    /// <summary>The page's language: <c>?lang=</c>, else Accept-Language; Vietnamese by default.</summary>
    public static string Language(HttpRequest request) => Negotiation.Language(request);

    /// <summary>The thank-you page's address for a report taken from the form.</summary>
    public static string ThanksUrl(string reference, string? code, string lang) =>
        $"{ThanksPath}?ref={Uri.EscapeDataString(reference)}&lang={lang}" +
        (BackPath(code, lang) is null ? "" : "&code=" + Uri.EscapeDataString(code!));

    public static string ThankYou(string reference, string? code, string lang) =>
        PageRenderer.Render<ThankYouPage>(lang, new Dictionary<string, object?>
        {
            [nameof(ThankYouPage.Reference)] = reference, [nameof(ThankYouPage.Code)] = code,
        });

    public static string TooMany(int retryAfterSeconds, string lang) =>
        PageRenderer.Render<TooManyPage>(lang, new Dictionary<string, object?>
        {
            [nameof(TooManyPage.Minutes)] = Math.Max(1, (int)Math.Ceiling(retryAfterSeconds / 60.0)),
        });

    /// <summary>The form's errors by field (keys as the API names them; an empty list = the form was unreadable).</summary>
    public static string Invalid(IEnumerable<string> fields, string? code, string lang) =>
        PageRenderer.Render<InvalidReportPage>(lang, new Dictionary<string, object?>
        {
            [nameof(InvalidReportPage.Fields)] = fields.ToList(), [nameof(InvalidReportPage.Code)] = code,
        });

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
