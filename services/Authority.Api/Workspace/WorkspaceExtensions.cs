using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Traceability.Authority.Api.Workspace;

/// <summary>
/// The authority's web workspace at <c>/authority</c> and the public warnings page <c>/canh-bao</c>:
/// Razor components rendered on the server (static SSR: no interactivity, no script), forms posted
/// with anti-forgery tokens, texts from .resx resources (Vietnamese, English).
/// </summary>
public static class WorkspaceExtensions
{
    public static IHostApplicationBuilder AddAuthorityWorkspace(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        // Vietnamese letters as themselves, not as &#x…; entities (a third of the bytes), as the
        // console and the provenance page write them; markup characters are still encoded.
        builder.Services.AddWebEncoders(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddLocalization();
        builder.Services.AddAntiforgery();
        builder.Services.AddWorkspaceAuth();
        return builder;
    }

    /// <summary>Maps the pages, the stylesheet and sign-out; call after MapDefaultEndpoints (authentication).</summary>
    public static WebApplication MapAuthorityWorkspace(this WebApplication app)
    {
        app.UseWorkspaceCulture();
        app.UseWorkspaceWriteGuard();
        app.UseAntiforgery();
        WorkspaceAssets.Map(app);
        app.MapSignOut();
        // The evidence photos the inspections page shows: under /authority, where the session cookie goes.
        app.MapGet("/authority/inspections/{id}/photo", Inspections.InspectionsApi.Photo)
            .RequireAuthorization(StaffRoles.ReadPolicy).ExcludeFromDescription();
        AuditLogFilter.MapExport(app);
        app.MapRazorComponents<App>().ExcludeFromDescription();
        return app;
    }

    internal static bool IsWorkspacePath(PathString path) =>
        path.StartsWithSegments("/authority") || path.StartsWithSegments("/canh-bao");
}
