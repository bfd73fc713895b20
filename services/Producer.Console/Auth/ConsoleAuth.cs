using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Traceability.ProducerConsole.Auth;

namespace Traceability.ProducerConsole;

/// <summary>
/// Sign-in with a person's own account (e-mail or phone and password, <see cref="ProducerUserService"/>)
/// or with the producer's API key, checked exactly as the API's bearer handler checks it
/// (<see cref="ApiKeys"/> against the stored hash). Neither secret is stored in the cookie: it holds
/// the key id or the account id and the producer's claims, and every request re-checks that the key
/// has not been revoked, or that the account is not disabled and its password not changed, since.
/// Wrong keys and wrong passwords count alike in the failed-authentication limit.
/// </summary>
public static class ConsoleAuth
{
    public const string Scheme = "console";
    public const string Policy = "console-producer";
    /// <summary>Whoever may manage the producer's accounts: a key session or an account of role admin.</summary>
    public const string AdminClaim = "console_admin";
    /// <summary>Set while the account signed in with a temporary password: every page leads to the change form.</summary>
    public const string MustChangeClaim = "console_must_change";
    /// <summary>The account's password change time (Unix ms) when the session began: a later change or reset ends it.</summary>
    private const string PasswordStampClaim = "console_password_at";

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
                if (ctx.Principal?.ConsoleUserId() is { } userId)
                {
                    var users = ctx.HttpContext.RequestServices.GetRequiredService<IProducerUserStore>();
                    var user = await users.GetProducerUserAsync(userId, ctx.HttpContext.RequestAborted);
                    if (user is null || !user.IsActive || user.ProducerId != ctx.Principal.ProducerId()
                        || ctx.Principal.FindFirstValue(PasswordStampClaim) != Stamp(user))
                    {
                        ctx.RejectPrincipal();
                        await ctx.HttpContext.SignOutAsync(Scheme);
                    }
                    return;
                }
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
        group.MapGet("/signin", () => SignInPage(new FieldErrors())).AllowAnonymous();
        group.MapPost("/signin", SignInAsync).AllowAnonymous();
        group.MapPost("/signout", async (HttpContext ctx) =>
        {
            // The token was issued to the signed-in user: check it against the console identity.
            if (await ctx.AuthenticateAsync(Scheme) is { Succeeded: true } session) ctx.User = session.Principal!;
            if (await Pages.ReadPostAsync(ctx) is null) return Pages.Refused();
            await ctx.SignOutAsync(Scheme);
            return Results.Redirect("/console/signin");
        }).AllowAnonymous();
    }

    private static IResult SignInPage(FieldErrors errors, string? login = null, int status = StatusCodes.Status200OK) =>
        PageResult.Of<SignIn>(new { Errors = errors, Login = login }, status);

    private static async Task<IResult> SignInAsync(HttpContext ctx, IAccountStore accounts, ProducerUserService users, FailedAuthLimiter failures,
        IStringLocalizer<ConsoleTexts> texts)
    {
        if (await Pages.ReadPostAsync(ctx) is not { } form) return Pages.Refused();
        var byAccount = form.ContainsKey("login");
        var field = byAccount ? "password" : "key";
        // The API's failed-authentication limit, per client address, covers this form too.
        if (failures.RetryAfter(ctx) is { } wait)
        {
            var seconds = FailedAuthLimiter.SetRetryAfter(ctx, wait);
            return SignInPage(new FieldErrors { [field] = [texts.Format(byAccount ? "SignIn_TooManyFailures" : "SignIn_TooManyKeys", seconds)] },
                form.Get("login"), StatusCodes.Status429TooManyRequests);
        }
        return byAccount ? await AccountSignInAsync(ctx, texts, form, users, accounts, failures) : await KeySignInAsync(ctx, texts, form, accounts, failures);
    }

    private static async Task<IResult> AccountSignInAsync(HttpContext ctx, IStringLocalizer<ConsoleTexts> texts, IFormCollection form, ProducerUserService users,
        IAccountStore accounts, FailedAuthLimiter failures)
    {
        var login = form.Get("login");
        var user = await users.SignInAsync(login, form["password"].ToString(), ctx.RequestAborted);
        if (user is null)
        {
            failures.RecordFailure(ctx, login ?? "");
            return SignInPage(new FieldErrors { ["password"] = [texts["SignIn_Wrong"]] }, login, StatusCodes.Status401Unauthorized);
        }
        var producer = await accounts.GetProducerAsync(user.ProducerId, ctx.RequestAborted);
        await ctx.SignInAsync(Scheme, Principal(user, producer?.Name));
        return user.MustChangePassword ? Results.Redirect(UserPages.PasswordPath) : ReturnTo(ctx);
    }

    /// <summary>The session of an account, also renewed after the account changed its password.</summary>
    internal static ClaimsPrincipal Principal(ProducerUser user, string? producerName)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, "user:" + user.Id),
            new(TraceClaims.ConsoleUserIdClaim, user.Id),
            new(ClaimTypes.Role, "producer"),
            new(TraceClaims.ProducerIdClaim, user.ProducerId),
            // The producer's name, as in a key session (recalls name their issuer with it)…
            new(ClaimTypes.Name, producerName ?? user.ProducerId),
            // …and the person, whom the audit log names (recognisable across producers by the login).
            new(TraceClaims.PersonClaim, $"{user.Name} ({user.Login})"),
            new(PasswordStampClaim, Stamp(user)),
        };
        if (user.Role == ProducerUserRoles.Admin) claims.Add(new(AdminClaim, "true"));
        if (user.MustChangePassword) claims.Add(new(MustChangeClaim, "true"));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    internal static bool IsConsoleAdmin(this ClaimsPrincipal user) => user.HasClaim(AdminClaim, "true");

    private static string Stamp(ProducerUser user) =>
        user.PasswordChangedAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<IResult> KeySignInAsync(HttpContext ctx, IStringLocalizer<ConsoleTexts> texts, IFormCollection form, IAccountStore accounts, FailedAuthLimiter failures)
    {
        var presented = form.Get("key") ?? "";
        if (!ApiKeys.TrySplit(presented, out var keyId, out var secret))
            return WrongKey();
        var record = await accounts.GetApiKeyAsync(keyId, ctx.RequestAborted);
        if (record is null || !ApiKeys.Verify(record, secret))
            return WrongKey();
        if (record.Role != Role.Producer || record.ProducerId is null)
            return SignInPage(new FieldErrors { ["key"] = [texts["SignIn_NotProducerKey"]] }, status: StatusCodes.Status403Forbidden);
        var producer = await accounts.GetProducerAsync(record.ProducerId, ctx.RequestAborted);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, record.KeyId),
            new(ClaimTypes.Role, "producer"),
            new(TraceClaims.ProducerIdClaim, record.ProducerId),
            new(ClaimTypes.Name, producer?.Name ?? record.ProducerId),
            // The key is the producer's own: its holder manages the producer's accounts.
            new(AdminClaim, "true"),
        };
        var identity = new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, ClaimTypes.Role);
        await ctx.SignInAsync(Scheme, new ClaimsPrincipal(identity));
        return ReturnTo(ctx);

        IResult WrongKey()
        {
            failures.RecordFailure(ctx, presented);
            return SignInPage(new FieldErrors { ["key"] = [texts["SignIn_WrongKey"]] }, status: StatusCodes.Status401Unauthorized);
        }
    }

    private static IResult ReturnTo(HttpContext ctx)
    {
        var returnUrl = ctx.Request.Query["ReturnUrl"].ToString();
        // Only local console paths: never an open redirect.
        return Results.Redirect(returnUrl.StartsWith("/console", StringComparison.Ordinal) && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            ? returnUrl : "/console");
    }

    /// <summary>
    /// While the account still has its temporary password, every console page but the change form
    /// (and signing out) leads there: a password someone else saw must not stay in use.
    /// </summary>
    internal static async ValueTask<object?> MustChangePassword(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.User.HasClaim(MustChangeClaim, "true") && context.HttpContext.Request.Path != UserPages.PasswordPath
            ? Results.Redirect(UserPages.PasswordPath)
            : await next(context);
}
