using Microsoft.AspNetCore.Authentication;
using Traceability.ProducerConsole.Auth;
using Traceability.ProducerConsole.Web.Layout;

namespace Traceability.ProducerConsole;

/// <summary>
/// The producer's people (issue 21 point 8): its admins create accounts, reset their passwords and
/// disable them (<see cref="ProducerUserService"/>, the API's rules and audit); everyone signed in
/// with an account changes their own password here, and must after a reset.
/// </summary>
internal static class UserPages
{
    public const string PasswordPath = "/console/password";
    public const string UsersPath = "/console/users";

    public static void MapUserPages(this IEndpointRouteBuilder console)
    {
        console.MapGet("/password", () => PasswordForm(new FieldErrors()));
        console.MapPost("/password", ChangePasswordAsync);
        console.MapGet("/users", ListAsync);
        console.MapPost("/users", CreateAsync);
        console.MapPost("/users/{id}/reset", ResetAsync);
        console.MapPost("/users/{id}/disable", DisableAsync);
    }

    private static IResult PasswordForm(FieldErrors errors, int status = StatusCodes.Status200OK) =>
        PageResult.Of<PasswordForm>(new { Errors = errors }, status);

    private static async Task<IResult> ChangePasswordAsync(HttpContext ctx, ProducerUserService users)
    {
        if (await Pages.ReadPostAsync(ctx) is not { } form) return Pages.Refused();
        if (ctx.User.ConsoleUserId() is not { } userId) return PasswordForm(new FieldErrors());
        var outcome = await users.ChangePasswordAsync(userId, form["current"].ToString(), form["password"].ToString(), form["confirm"].ToString(), ctx.RequestAborted);
        if (!outcome.IsOk) return PasswordForm(ProductPages.ErrorsOf(outcome, "current"), ProductPages.Status(outcome));
        // A new session with the new password's time and without the must-change mark; others with the old password end.
        await ctx.SignInAsync(ConsoleAuth.Scheme, ConsoleAuth.Principal(outcome.Value!, ctx.User.UserName()));
        return Results.Redirect("/console?password=changed");
    }

    private static IResult NotAdmin() =>
        PageResult.Of<Notice>(new { TitleKey = "Nav_Accounts", TextKey = "Accounts_NotAdmin" }, StatusCodes.Status403Forbidden);

    private static async Task<IResult> ListAsync(HttpContext ctx, ProducerUserService users, IStringLocalizer<ConsoleTexts> texts)
    {
        if (!ctx.User.IsConsoleAdmin()) return NotAdmin();
        var done = ctx.Request.Query["done"].ToString() == "disabled" ? texts["Accounts_DoneDisabled"].Value : null;
        return await ListPageAsync(ctx, users, new() { ["Done"] = done });
    }

    /// <summary>The accounts page with what to show besides the list (<see cref="AccountList"/>'s other parameters).</summary>
    private static async Task<IResult> ListPageAsync(HttpContext ctx, ProducerUserService users, Dictionary<string, object?> shown,
        int status = StatusCodes.Status200OK)
    {
        shown["Users"] = (await users.ListAsync(ctx.User.ProducerId()!, ctx.RequestAborted)).Value ?? [];
        return PageResult.Of<AccountList>(shown, status);
    }

    private static async Task<IResult> CreateAsync(HttpContext ctx, ProducerUserService users)
    {
        if (await Pages.ReadPostAsync(ctx) is not { } form) return Pages.Refused();
        if (!ctx.User.IsConsoleAdmin()) return NotAdmin();
        var request = new CreateProducerUserRequest(form.Get("login"), form.Get("name"), form.Get("role"));
        var outcome = await users.CreateAsync(ctx.User, ctx.User.ProducerId()!, request, ctx.RequestAborted);
        return outcome.IsOk
            ? await ListPageAsync(ctx, users, new() { ["Created"] = outcome.Value }, StatusCodes.Status201Created)
            : await ListPageAsync(ctx, users, new() { ["Draft"] = request, ["Errors"] = ProductPages.ErrorsOf(outcome, "login") }, ProductPages.Status(outcome));
    }

    private static async Task<IResult> ResetAsync(HttpContext ctx, string id, ProducerUserService users)
    {
        if (await Pages.ReadPostAsync(ctx) is null) return Pages.Refused();
        if (!ctx.User.IsConsoleAdmin()) return NotAdmin();
        var outcome = await users.ResetAsync(ctx.User, ctx.User.ProducerId()!, id, ctx.RequestAborted);
        return outcome.IsOk
            ? await ListPageAsync(ctx, users, new() { ["Created"] = outcome.Value, ["Reset"] = true })
            : await Refusal(ctx, users, outcome);
    }

    private static async Task<IResult> DisableAsync(HttpContext ctx, string id, ProducerUserService users)
    {
        if (await Pages.ReadPostAsync(ctx) is null) return Pages.Refused();
        if (!ctx.User.IsConsoleAdmin()) return NotAdmin();
        var outcome = await users.DisableAsync(ctx.User, ctx.User.ProducerId()!, id, ctx.RequestAborted);
        return outcome.IsOk ? Results.Redirect(UsersPath + "?done=disabled") : await Refusal(ctx, users, outcome);
    }

    /// <summary>The list with why a reset or disable was refused above it (another producer's user is "not found").</summary>
    private static Task<IResult> Refusal<T>(HttpContext ctx, ProducerUserService users, Outcome<T> outcome) =>
        ListPageAsync(ctx, users, new() { ["Problem"] = outcome.Message ?? "" }, ProductPages.Status(outcome));
}
