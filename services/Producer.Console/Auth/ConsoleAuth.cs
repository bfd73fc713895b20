using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Traceability.ProducerConsole.Web;
using Traceability.ServiceDefaults.Auth;
using Traceability.Storage;
using static Traceability.ProducerConsole.Web.Html;

namespace Traceability.ProducerConsole;

/// <summary>
/// Sign-in with the producer's API key, checked exactly as the API's bearer handler checks it
/// (<see cref="ApiKeys"/> against the stored hash). The key itself is never stored in the cookie:
/// the cookie holds the key id and the producer's claims, and every request re-checks that the
/// key has not been revoked since.
/// </summary>
public static class ConsoleAuth
{
    public const string Scheme = "console";
    public const string Policy = "console-producer";

    internal static void AddConsoleAuth(this IServiceCollection services)
    {
        services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "console_session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.Path = "/console";
            o.LoginPath = "/console/signin";
            o.LogoutPath = "/console/signout";
            o.AccessDeniedPath = "/console/signin";
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
            o.Events.OnValidatePrincipal = async ctx =>
            {
                var keyId = ctx.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
                var accounts = ctx.HttpContext.RequestServices.GetRequiredService<IAccountStore>();
                var record = keyId is null ? null : await accounts.GetApiKeyAsync(keyId, ctx.HttpContext.RequestAborted);
                if (record is null || record.RevokedAt is not null || record.Role != Role.Producer)
                {
                    ctx.RejectPrincipal();
                    await ctx.HttpContext.SignOutAsync(Scheme);
                }
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireRole("producer"));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "console_csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // One anti-forgery system per host: the authority workspace (/authority) posts with it too.
            o.Cookie.Path = "/";
            o.FormFieldName = "__csrf";
        });
    }

    internal static void MapSignIn(this IEndpointRouteBuilder group)
    {
        group.MapGet("/signin", (HttpContext ctx) => SignInPage(Page.For(ctx), null)).AllowAnonymous();
        group.MapPost("/signin", SignInAsync).AllowAnonymous();
        group.MapPost("/signout", async (HttpContext ctx) =>
        {
            // The token was issued to the signed-in user: check it against the console identity.
            if (await ctx.AuthenticateAsync(Scheme) is { Succeeded: true } session) ctx.User = session.Principal!;
            var page = Page.For(ctx);
            if (!await page.IsValidPostAsync()) return page.Refused();
            await ctx.SignOutAsync(Scheme);
            return Results.Redirect("/console/signin");
        }).AllowAnonymous();
    }

    private static IResult SignInPage(Page page, string? error, int status = StatusCodes.Status200OK)
    {
        var errors = new FieldErrors();
        if (error is not null) errors.Add("key", error);
        return page.Render(page.T("Đăng nhập", "Sign in"), H($"""
            <form method="post" action="/console/signin{page.Context.Request.QueryString.Value}" class="card">{page.Csrf()}
            {page.Input("key", page.T("Khoá nhà sản xuất", "Producer key"), null, errors, "password", required: true,
                hint: page.T("Khoá do cơ quan quản lý cấp, bắt đầu bằng trc_.", "The key issued by the authority, starting with trc_."),
                attributes: Raw("autocomplete=\"off\" spellcheck=\"false\""))}
            <button type="submit">{page.T("Đăng nhập", "Sign in")}</button>
            </form>
            """), status);
    }

    private static async Task<IResult> SignInAsync(HttpContext ctx, IAccountStore accounts, FailedAuthLimiter failures)
    {
        var page = Page.For(ctx);
        if (!await page.IsValidPostAsync()) return page.Refused();
        // The API's failed-authentication limit, per client address, covers this form too.
        if (failures.RetryAfter(ctx) is { } wait)
        {
            var seconds = FailedAuthLimiter.SetRetryAfter(ctx, wait);
            return SignInPage(page, page.T($"Đã nhập sai khoá quá nhiều lần. Vui lòng thử lại sau {seconds} giây.",
                $"Too many wrong keys. Please try again in {seconds} seconds."), StatusCodes.Status429TooManyRequests);
        }
        var form = await ctx.Request.ReadFormAsync();
        var presented = form.Get("key") ?? "";
        var wrong = page.T("Khoá không đúng hoặc đã bị thu hồi.", "The key is wrong or has been revoked.");
        if (!ApiKeys.TrySplit(presented, out var keyId, out var secret))
            return WrongKey();
        var record = await accounts.GetApiKeyAsync(keyId, ctx.RequestAborted);
        if (record is null || !ApiKeys.Verify(record, secret))
            return WrongKey();
        if (record.Role != Role.Producer || record.ProducerId is null)
            return SignInPage(page, page.T("Đây không phải khoá của nhà sản xuất.", "This is not a producer's key."), StatusCodes.Status403Forbidden);
        var producer = await accounts.GetProducerAsync(record.ProducerId, ctx.RequestAborted);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, record.KeyId),
            new(ClaimTypes.Role, "producer"),
            new(TraceClaims.ProducerIdClaim, record.ProducerId),
            new(ClaimTypes.Name, producer?.Name ?? record.ProducerId),
        };
        var identity = new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, ClaimTypes.Role);
        await ctx.SignInAsync(Scheme, new ClaimsPrincipal(identity));
        var returnUrl = ctx.Request.Query["ReturnUrl"].ToString();
        // Only local console paths: never an open redirect.
        return Results.Redirect(returnUrl.StartsWith("/console", StringComparison.Ordinal) && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            ? returnUrl : "/console");

        IResult WrongKey()
        {
            failures.RecordFailure(ctx, presented);
            return SignInPage(page, wrong, StatusCodes.Status401Unauthorized);
        }
    }
}
