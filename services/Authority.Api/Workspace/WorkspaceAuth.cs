using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Configuration;

namespace Traceability.Authority.Api.Workspace;

/// <summary>
/// Staff sign-in for <c>/authority</c>, as the producer console does it for producers: the key is
/// checked as the API checks it, the cookie (<c>authority_session</c>, path <c>/authority</c>) holds
/// only the key's id, and every request re-checks that the key still holds (a revoked staff account's
/// sessions end at once). A request that sends <c>Authorization</c> is judged by its bearer key
/// instead, so a producer's or inspector's key gets 403 on every page while a browser without a
/// session is sent to the sign-in form. Keys of every staff role sign in: the bootstrap admin key,
/// admin API keys and named staff accounts' keys (admin, officer, viewer; their name is the audit actor).
/// A signed-in member without the role a page needs gets 403, not the sign-in form.
/// </summary>
public static class WorkspaceAuth
{
    public const string CookieScheme = "authority";
    public const string Scheme = "authority-web";
    public const string Policy = "authority-staff";
    public const string SignInPath = "/authority/signin";
    private const string ConfiguredKeyId = "admin-configured";
    private const string FingerprintClaim = "key_fp";

    internal static void AddWorkspaceAuth(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "authority_session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Cookie.Path = "/authority";
                o.LoginPath = SignInPath;
                // Signed in but not allowed (an officer on the staff page): 403, not the sign-in form again.
                o.Events.OnRedirectToAccessDenied = ctx => WriteForbiddenAsync(ctx.HttpContext);
                // Shorter than the console's: this session can suspend businesses.
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = async ctx =>
                {
                    if (ctx.Principal is null || !await StillValidAsync(ctx.HttpContext, ctx.Principal))
                    {
                        ctx.RejectPrincipal();
                        await ctx.HttpContext.SignOutAsync(CookieScheme);
                    }
                };
            })
            // The session cookie only travels under /authority: elsewhere (the staff APIs under
            // /api/v1 share these policies) the key decides, and a missing one is a 401, not a redirect.
            .AddPolicyScheme(Scheme, Scheme, o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.Count > 0 || !ctx.Request.Path.StartsWithSegments("/authority")
                    ? ApiKeyAuthenticationHandler.SchemeName : CookieScheme);
        services.AddAuthorizationBuilder()
            .AddPolicy(StaffRoles.ReadPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireRole(StaffRoles.All))
            .AddPolicy(StaffRoles.WritePolicy, p => p.AddAuthenticationSchemes(Scheme).RequireRole(StaffRoles.Writers))
            .AddPolicy(StaffRoles.ManageStaffPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireRole(StaffRoles.Admin));
    }

    /// <summary>
    /// Viewers read, they never write: every form post to a staff page (each one is a write: register,
    /// suspend, recall, …) needs <see cref="StaffRoles.WritePolicy"/>'s roles, in this one place, so a
    /// page added later cannot forget it. The page hides its buttons from viewers as well.
    /// Runs after authorization, which has set the workspace user of staff pages.
    /// </summary>
    internal static void UseWorkspaceWriteGuard(this WebApplication app) => app.Use(async (ctx, next) =>
    {
        if (HttpMethods.IsPost(ctx.Request.Method) && IsStaffPage(ctx.GetEndpoint()) && !StaffRoles.CanWrite(ctx.User))
        {
            await WriteForbiddenAsync(ctx);
            return;
        }
        await next(ctx);
    });

    private static bool IsStaffPage(Endpoint? endpoint) =>
        endpoint?.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>()
            .Any(a => a.Policy is Policy or StaffRoles.WritePolicy or StaffRoles.ManageStaffPolicy) == true;

    /// <summary>403 with a short page in the user's language (a bearer caller gets the API's problem instead).</summary>
    internal static Task WriteForbiddenAsync(HttpContext ctx)
    {
        if (ctx.Request.Headers.Authorization.Count > 0) return ctx.ForbidAsync(ApiKeyAuthenticationHandler.SchemeName);
        ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
        ctx.Response.ContentType = "text/html; charset=utf-8";
        var t = ctx.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<WorkspaceTexts>>();
        var lang = WorkspaceCulture.IsEnglish ? "en" : "vi";
        var encode = System.Text.Encodings.Web.HtmlEncoder.Default;
        return ctx.Response.WriteAsync($"""
            <!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{encode.Encode(t["Forbidden"])}</title><link rel="stylesheet" href="{WorkspaceAssets.Stylesheet}"></head>
            <body><main><h1>{encode.Encode(t["Forbidden"])}</h1><p>{encode.Encode(t["ForbiddenHint"])}</p>
            <p><a href="/authority">{encode.Encode(t["Workspace"])}</a></p></main></body></html>
            """);
    }

    internal static void MapSignOut(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/authority/signout", async (HttpContext ctx, IAntiforgery antiforgery) =>
        {
            // The token was issued to the signed-in user: check it against the workspace identity.
            if (await ctx.AuthenticateAsync(CookieScheme) is { Succeeded: true } session) ctx.User = session.Principal!;
            if (!await antiforgery.IsRequestValidAsync(ctx)) return Results.BadRequest();
            await ctx.SignOutAsync(CookieScheme);
            return Results.Redirect(SignInPath);
        }).ExcludeFromDescription().AllowAnonymous();

    public enum KeyCheck { Staff, NotStaff, Wrong }

    /// <summary>Checks a key typed into the sign-in form; on success the session's principal.</summary>
    public static async Task<(KeyCheck Result, ClaimsPrincipal? User)> CheckKeyAsync(HttpContext ctx, string presented)
    {
        var configured = ctx.RequestServices.GetRequiredService<IConfiguration>()["Auth:AdminKey"];
        if (configured is { Length: > 0 } && ApiKeys.SameKey(presented, configured))
            return (KeyCheck.Staff, Principal(ConfiguredKeyId, Fingerprint(configured)));
        if (!ApiKeys.TrySplit(presented, out var keyId, out var secret)) return (KeyCheck.Wrong, null);
        var record = await ctx.RequestServices.GetRequiredService<IAccountStore>().GetApiKeyAsync(keyId, ctx.RequestAborted);
        if (record is null || !ApiKeys.Verify(record, secret)) return (KeyCheck.Wrong, null);
        if (StaffRoles.Of(record.Role) is not { } role) return (KeyCheck.NotStaff, null);
        var staff = record.StaffId is { } staffId
            ? await ctx.RequestServices.GetRequiredService<IStaffStore>().GetStaffAsync(staffId, ctx.RequestAborted) : null;
        return (KeyCheck.Staff, Principal(record.KeyId, null, role, staff?.Name));
    }

    private static ClaimsPrincipal Principal(string keyId, string? fingerprint, string role = StaffRoles.Admin, string? name = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, keyId),
            new(ClaimTypes.Role, role),
            // The audit log's actor: the staff member's name, or the key's id for keys without an account.
            new(ClaimTypes.Name, name ?? "key:" + keyId),
        };
        if (fingerprint is not null) claims.Add(new(FingerprintClaim, fingerprint));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieScheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>
    /// The configured key must be the one signed in with (changing Auth:AdminKey ends its sessions); a
    /// stored key must not be revoked and must still carry the session's role.
    /// </summary>
    private static async Task<bool> StillValidAsync(HttpContext ctx, ClaimsPrincipal user)
    {
        var keyId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (keyId == ConfiguredKeyId)
            return ctx.RequestServices.GetRequiredService<IConfiguration>()["Auth:AdminKey"] is { Length: > 0 } configured
                && user.FindFirstValue(FingerprintClaim) == Fingerprint(configured);
        var record = keyId is null ? null : await ctx.RequestServices.GetRequiredService<IAccountStore>().GetApiKeyAsync(keyId, ctx.RequestAborted);
        return record is { RevokedAt: null } && StaffRoles.Of(record.Role) is { } role && user.IsInRole(role);
    }

    private static string Fingerprint(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("authority-session:" + key)))[..16];
}
