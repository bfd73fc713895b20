using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Traceability.Ingestion.Api.Accounts;
using Traceability.ProducerConsole.Catalog;
using Traceability.ProducerConsole.Web;
using Traceability.ServiceDefaults.Auth;
using Traceability.ServiceDefaults.Problems;
using Traceability.Storage;
using static Traceability.ProducerConsole.Web.Html;

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
        console.MapGet("/password", (HttpContext ctx) => PasswordForm(Page.For(ctx), new FieldErrors()));
        console.MapPost("/password", ChangePasswordAsync);
        console.MapGet("/users", ListAsync);
        console.MapPost("/users", CreateAsync);
        console.MapPost("/users/{id}/reset", ResetAsync);
        console.MapPost("/users/{id}/disable", DisableAsync);
    }

    private static IResult PasswordForm(Page page, FieldErrors errors, int status = StatusCodes.Status200OK)
    {
        var title = page.T("Đổi mật khẩu", "Change password");
        if (page.Context.User.ConsoleUserId() is null)
            return page.Render(title, H($"<p>{page.T("Bạn đang đăng nhập bằng khoá nhà sản xuất, không có mật khẩu. Khoá được đổi qua API hoặc do cơ quan quản lý cấp lại.",
                "You are signed in with the producer key, which has no password. Keys are rotated through the API or reissued by the authority.")}</p>"));
        var mustChange = page.Context.User.HasClaim(ConsoleAuth.MustChangeClaim, "true");
        return page.Render(title, H($"""
            {When(mustChange, H($"<p class=\"alert\" role=\"alert\">{page.T("Bạn đang dùng mật khẩu tạm thời. Hãy đặt mật khẩu của riêng bạn để tiếp tục.", "You are using a temporary password. Choose your own password to continue.")}</p>"))}
            {page.Summary(errors, "current", "password", "confirm")}
            <form method="post" action="{PasswordPath}" class="card">{page.Csrf()}
            {page.Input("current", page.T("Mật khẩu hiện tại", "Current password"), null, errors, "password", required: true, attributes: Raw("autocomplete=\"current-password\""))}
            {page.Input("password", page.T("Mật khẩu mới", "New password"), null, errors, "password", required: true,
                hint: page.T($"Ít nhất {ProducerUserService.MinPassword} ký tự, không chứa e-mail hay số điện thoại của bạn.", $"At least {ProducerUserService.MinPassword} characters, not containing your e-mail or phone."),
                attributes: Raw($"autocomplete=\"new-password\" minlength=\"{ProducerUserService.MinPassword}\""))}
            {page.Input("confirm", page.T("Nhập lại mật khẩu mới", "New password again"), null, errors, "password", required: true, attributes: Raw("autocomplete=\"new-password\""))}
            <button type="submit">{page.T("Đổi mật khẩu", "Change password")}</button>
            </form>
            """), status);
    }

    private static async Task<IResult> ChangePasswordAsync(HttpContext ctx, ProducerUserService users)
    {
        var page = Page.For(ctx);
        if (!await page.IsValidPostAsync()) return page.Refused();
        if (ctx.User.ConsoleUserId() is not { } userId) return PasswordForm(page, new FieldErrors());
        var form = await ctx.Request.ReadFormAsync();
        var outcome = await users.ChangePasswordAsync(userId, form["current"].ToString(), form["password"].ToString(), form["confirm"].ToString(), ctx.RequestAborted);
        if (!outcome.IsOk) return PasswordForm(page, ProductPages.ErrorsOf(outcome, "current"), ProductPages.Status(outcome));
        // A new session with the new password's time and without the must-change mark; others with the old password end.
        await ctx.SignInAsync(ConsoleAuth.Scheme, ConsoleAuth.Principal(outcome.Value!, ctx.User.UserName()));
        return Results.Redirect("/console?password=changed");
    }

    private static IResult NotAdmin(Page page) => page.Render(page.T("Tài khoản", "Accounts"),
        H($"<p class=\"alert\" role=\"alert\">{page.T("Chỉ quản trị viên của đơn vị được quản lý tài khoản.", "Only your producer's admins manage accounts.")}</p>"),
        StatusCodes.Status403Forbidden);

    private static async Task<IResult> ListAsync(HttpContext ctx, ProducerUserService users)
    {
        var page = Page.For(ctx);
        if (!ctx.User.IsConsoleAdmin()) return NotAdmin(page);
        var done = ctx.Request.Query["done"].ToString() switch
        {
            "disabled" => page.T("Đã khoá tài khoản. Người đó không đăng nhập được nữa.", "The account is disabled. That person can no longer sign in."),
            _ => null,
        };
        return await ListPageAsync(page, users, new CreateProducerUserRequest(null, null, ProducerUserRoles.Staff), new FieldErrors(), done);
    }

    private static async Task<IResult> ListPageAsync(Page page, ProducerUserService users, CreateProducerUserRequest draft, FieldErrors errors,
        string? done, Html shown = default, int status = StatusCodes.Status200OK)
    {
        var list = (await users.ListAsync(page.ProducerId, page.Context.RequestAborted)).Value ?? [];
        var roles = Roles(page);
        var rows = list.Select(u => H($"""
            <tr><td>{u.Name}</td><td>{u.Login}</td><td>{roles.GetValueOrDefault(u.Role, u.Role)}</td>
            <td>{(u.Status == "active" ? (u.MustChangePassword ? page.T("Chờ đổi mật khẩu tạm", "Must change the temporary password") : page.T("Đang dùng", "Active")) : page.T("Đã khoá", "Disabled"))}</td>
            <td>{u.CreatedAt.ToOffset(Traceability.Domain.VietnamTime.Offset).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}</td>
            <td>{When(u.Status == "active", H($"""
                <form method="post" action="{UsersPath}/{u.Id}/reset" class="inline">{page.Csrf()}<button type="submit">{page.T("Đặt lại mật khẩu", "Reset password")}</button></form>
                <form method="post" action="{UsersPath}/{u.Id}/disable" class="inline">{page.Csrf()}<button type="submit" class="danger">{page.T("Khoá", "Disable")}</button></form>
                """))}</td></tr>
            """));
        return page.Render(page.T("Tài khoản", "Accounts"), H($"""
            {When(done is not null, H($"<p class=\"ok\" role=\"status\">{done}</p>"))}
            {shown}
            <p class="hint">{page.T("Mỗi người trong đơn vị đăng nhập bằng tài khoản riêng (e-mail hoặc số điện thoại và mật khẩu). Khoá nhà sản xuất dành cho phần mềm kết nối qua API.",
                "Everyone of your producer signs in with their own account (e-mail or phone and a password). The producer key is for software using the API.")}</p>
            {(list.Count == 0 ? H($"<p>{page.T("Chưa có tài khoản nào.", "No accounts yet.")}</p>") : H($"""
            <div class="table"><table>
            <thead><tr><th scope="col">{page.T("Họ tên", "Name")}</th><th scope="col">{page.T("Đăng nhập", "Login")}</th><th scope="col">{page.T("Vai trò", "Role")}</th>
            <th scope="col">{page.T("Trạng thái", "Status")}</th><th scope="col">{page.T("Ngày tạo", "Created")}</th><th scope="col">{page.T("Thao tác", "Actions")}</th></tr></thead>
            <tbody>{rows}</tbody></table></div>
            """))}
            <h2>{page.T("Thêm tài khoản", "Add an account")}</h2>
            {page.Summary(errors, "login", "name", "role")}
            <form method="post" action="{UsersPath}" class="card">{page.Csrf()}
            {page.Input("name", page.T("Họ tên", "Name"), draft.Name, errors, required: true, attributes: Raw("autocomplete=\"off\""))}
            {page.Input("login", page.T("E-mail hoặc số điện thoại", "E-mail or phone number"), draft.Login, errors, required: true,
                hint: page.T("Người đó dùng để đăng nhập.", "What they sign in with."), attributes: Raw("autocomplete=\"off\" spellcheck=\"false\" autocapitalize=\"none\""))}
            {page.Select("role", page.T("Vai trò", "Role"), roles.Select(r => (r.Key, r.Value)), draft.Role, errors, required: true)}
            <button type="submit">{page.T("Tạo tài khoản", "Create the account")}</button>
            </form>
            """), status);
    }

    private static Dictionary<string, string> Roles(Page page) => new(StringComparer.Ordinal)
    {
        [ProducerUserRoles.Staff] = page.T("Nhân viên", "Staff"),
        [ProducerUserRoles.Admin] = page.T("Quản trị (quản lý tài khoản)", "Admin (manages accounts)"),
    };

    /// <summary>The temporary password, shown this once (the page is never cached: Page.Render), with what to do with it.</summary>
    private static Html Temporary(Page page, ProducerUserPassword created, bool reset) => H($"""
        <div class="card" role="status">
        <p class="ok">{(reset ? page.T($"Đã đặt lại mật khẩu của {created.User.Name}.", $"{created.User.Name}'s password was reset.")
            : page.T($"Đã tạo tài khoản cho {created.User.Name}.", $"An account for {created.User.Name} was created."))}</p>
        <dl class="card"><dt>{page.T("Đăng nhập", "Login")}</dt><dd>{created.User.Login}</dd>
        <dt>{page.T("Mật khẩu tạm thời", "Temporary password")}</dt><dd><code class="secret">{created.TemporaryPassword}</code></dd></dl>
        <p class="hint">{page.T("Mật khẩu này chỉ hiển thị một lần. Hãy trao tận tay người đó; họ phải đổi mật khẩu ở lần đăng nhập đầu tiên.",
            "This password is shown only once. Hand it over in person; they must change it at their first sign-in.")}</p>
        </div>
        """);

    private static async Task<IResult> CreateAsync(HttpContext ctx, ProducerUserService users)
    {
        var page = Page.For(ctx);
        if (!await page.IsValidPostAsync()) return page.Refused();
        if (!ctx.User.IsConsoleAdmin()) return NotAdmin(page);
        var form = await ctx.Request.ReadFormAsync();
        var request = new CreateProducerUserRequest(form.Get("login"), form.Get("name"), form.Get("role"));
        var outcome = await users.CreateAsync(ctx.User, page.ProducerId, request, ctx.RequestAborted);
        return outcome.IsOk
            ? await ListPageAsync(page, users, new CreateProducerUserRequest(null, null, ProducerUserRoles.Staff), new FieldErrors(), null,
                Temporary(page, outcome.Value!, reset: false), StatusCodes.Status201Created)
            : await ListPageAsync(page, users, request, ProductPages.ErrorsOf(outcome, "login"), null, status: ProductPages.Status(outcome));
    }

    private static async Task<IResult> ResetAsync(HttpContext ctx, string id, ProducerUserService users)
    {
        var page = Page.For(ctx);
        if (!await page.IsValidPostAsync()) return page.Refused();
        if (!ctx.User.IsConsoleAdmin()) return NotAdmin(page);
        var outcome = await users.ResetAsync(ctx.User, page.ProducerId, id, ctx.RequestAborted);
        return await Answer(page, users, outcome, o => Temporary(page, o, reset: true));
    }

    private static async Task<IResult> DisableAsync(HttpContext ctx, string id, ProducerUserService users)
    {
        var page = Page.For(ctx);
        if (!await page.IsValidPostAsync()) return page.Refused();
        if (!ctx.User.IsConsoleAdmin()) return NotAdmin(page);
        var outcome = await users.DisableAsync(ctx.User, page.ProducerId, id, ctx.RequestAborted);
        return outcome.IsOk ? Results.Redirect(UsersPath + "?done=disabled") : await Answer(page, users, outcome, _ => Empty);
    }

    /// <summary>The list with the outcome above it: what was done, or why not (another producer's user is "not found").</summary>
    private static async Task<IResult> Answer<T>(Page page, ProducerUserService users, Outcome<T> outcome, Func<T, Html> done)
    {
        var draft = new CreateProducerUserRequest(null, null, ProducerUserRoles.Staff);
        return outcome.IsOk
            ? await ListPageAsync(page, users, draft, new FieldErrors(), null, done(outcome.Value!))
            : await ListPageAsync(page, users, draft, new FieldErrors(), null,
                H($"<p class=\"alert\" role=\"alert\">{page.Ui.Error(outcome.Message ?? "")}</p>"), ProductPages.Status(outcome));
    }
}
