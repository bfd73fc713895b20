namespace Traceability.Lookup.Api.Pages;

/// <summary>The resolver's pages as HTML: a registered code's page, and the answers for unknown and malformed codes.</summary>
public sealed partial class ProvenancePage
{
    /// <summary>The Content-Security-Policy every public page is served with (<see cref="PageAssets"/>).</summary>
    public const string ContentSecurityPolicy = PageAssets.ContentSecurityPolicy;

    internal static string Render(ProvenanceView view, string lang) =>
        PageRenderer.Render<ProvenancePage>(lang, new Dictionary<string, object?> { [nameof(View)] = view });

    /// <summary>The page's UTF-8 bytes, as the resolver caches them (the same as encoding <see cref="Render"/>).</summary>
    internal static byte[] RenderBytes(ProvenanceView view, string lang) =>
        PageRenderer.RenderBytes<ProvenancePage>(lang, new Dictionary<string, object?> { [nameof(View)] = view });

    /// <summary>The page for a well-formed code that is not registered (served with 404).</summary>
    internal static string RenderNotRegistered(string code, string lang) =>
        PageRenderer.Render<NotRegisteredPage>(lang, new Dictionary<string, object?> { [nameof(NotRegisteredPage.Code)] = code });

    /// <summary>The page for a malformed code (served with 400), with the reason.</summary>
    internal static string RenderMalformed(string code, string reason, string lang) =>
        PageRenderer.Render<MalformedPage>(lang, new Dictionary<string, object?>
        {
            [nameof(MalformedPage.Code)] = code, [nameof(MalformedPage.Reason)] = reason,
        });
}
