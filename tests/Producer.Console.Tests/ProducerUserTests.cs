using Microsoft.AspNetCore.Mvc.Testing;

namespace Traceability.ProducerConsole.Tests;

/// <summary>Issue 21 point 8: people sign in to the console with their own account; the key stays for machines.</summary>
public sealed class ProducerUserTests(ConsoleAppFixture fixture) : IClassFixture<ConsoleAppFixture>
{
    private ConsoleApp App => fixture.App;

    private const string NewPassword = "cam-sanh-ham-yen-2026";

    internal static async Task<(string Id, string Password)> CreateUserAsync(HttpClient api, string login, string role = "staff", string name = "Nguyễn Thị Hoa")
    {
        var response = await api.PostAsJsonAsync("/api/v1/producers/me/users", new { login, name, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Null(body["user"]!["passwordHash"]);
        return ((string)body["user"]!["id"]!, (string)body["temporaryPassword"]!);
    }

    private Browser NewBrowser() =>
        new(App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    private static Task<HttpResponseMessage> SignInAsync(Browser browser, string login, string password) =>
        browser.SubmitAsync("/console/signin", "/console/signin", new() { ["login"] = login, ["password"] = password });

    /// <summary>Signs in with the temporary password and sets <see cref="NewPassword"/>.</summary>
    private static async Task<Browser> FirstSignInAsync(Browser browser, string login, string temporary)
    {
        Assert.Equal("/console/password", (await SignInAsync(browser, login, temporary)).Headers.Location?.OriginalString);
        var changed = await browser.SubmitAsync("/console/password", "/console/password",
            new() { ["current"] = temporary, ["password"] = NewPassword, ["confirm"] = NewPassword });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        return browser;
    }

    [Fact]
    public async Task A_new_account_signs_in_must_replace_its_temporary_password_and_then_works()
    {
        var producer = await App.NewProducerAsync();
        var login = $"hoa.{producer.Id}@htx-hamyen.vn";
        var (_, temporary) = await CreateUserAsync(producer.Api, login.ToUpperInvariant());

        var browser = NewBrowser();
        var signedIn = await SignInAsync(browser, "  " + login + " ", temporary);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/console/password", signedIn.Headers.Location?.OriginalString);
        // Every page leads to the change form until the temporary password is replaced.
        var lots = await browser.Client.GetAsync("/console/lots");
        Assert.Equal(HttpStatusCode.Redirect, lots.StatusCode);
        Assert.Equal("/console/password", lots.Headers.Location?.OriginalString);

        // The rules, in Vietnamese: at least 10 characters, not the login, the current password right, typed twice alike.
        var tooShort = await browser.SubmitAsync("/console/password", "/console/password",
            new() { ["current"] = temporary, ["password"] = "ngan", ["confirm"] = "ngan" });
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Contains("Mật khẩu cần ít nhất 10 ký tự.", await tooShort.Content.ReadAsStringAsync());
        var ownLogin = await browser.SubmitAsync("/console/password", "/console/password",
            new() { ["current"] = temporary, ["password"] = login + "!", ["confirm"] = login + "!" });
        Assert.Contains("Mật khẩu không được chứa e-mail hoặc số điện thoại của chính bạn.", await ownLogin.Content.ReadAsStringAsync());
        var wrongCurrent = await browser.SubmitAsync("/console/password", "/console/password",
            new() { ["current"] = "khong-dung-12345", ["password"] = NewPassword, ["confirm"] = NewPassword + "x" });
        var wrongHtml = await wrongCurrent.Content.ReadAsStringAsync();
        Assert.Contains("Mật khẩu hiện tại không đúng.", wrongHtml);
        Assert.Contains("Hai lần nhập mật khẩu mới không giống nhau.", wrongHtml);

        var changed = await browser.SubmitAsync("/console/password", "/console/password",
            new() { ["current"] = temporary, ["password"] = NewPassword, ["confirm"] = NewPassword });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        // Now the console works, as the producer's: a lot page list, no users page for a staff account.
        Assert.Contains("/console/password", await browser.GetPageAsync("/console/lots"));
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.Client.GetAsync("/console/users")).StatusCode);

        // The temporary password is spent; the new one opens a fresh session straight to the console.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(NewBrowser(), login, temporary)).StatusCode);
        var again = await SignInAsync(NewBrowser(), login, NewPassword);
        Assert.Equal("/console", again.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_store_keeps_a_salted_PBKDF2_hash_never_the_password_and_every_change_is_audited()
    {
        var producer = await App.NewProducerAsync();
        var login = "0912 345 678";
        var (id, temporary) = await CreateUserAsync(producer.Api, "+84 912-345-678", role: "admin");
        var store = App.Services.GetRequiredService<IProducerUserStore>();
        var stored = (await store.GetProducerUserAsync(id))!;
        Assert.Equal("0912345678", stored.Login);
        Assert.DoesNotContain(temporary, stored.PasswordHash, StringComparison.Ordinal);
        // ASP.NET Core Identity's v3 format: marker byte 0x01, PRF, iteration count, salt, subkey.
        var bytes = Convert.FromBase64String(stored.PasswordHash);
        Assert.Equal(0x01, bytes[0]);
        Assert.True(bytes.Length >= 61);

        var browser = await FirstSignInAsync(NewBrowser(), login, temporary);
        var rehashed = (await store.GetProducerUserAsync(id))!;
        Assert.NotEqual(stored.PasswordHash, rehashed.PasswordHash);
        Assert.False(rehashed.MustChangePassword);

        var reset = await producer.Api.PostAsync($"/api/v1/producers/me/users/{id}/reset", null);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal("no-store", reset.Headers.CacheControl?.ToString());
        var audit = App.Services.GetRequiredService<IAuditStore>();
        var actions = (await audit.ListAuditAsync("producer_user:" + id, 10)).Select(e => e.Action).ToList();
        Assert.Equal(new[] { "producer_user.reset", "producer_user.password", "producer_user.create" }, actions);
        // The reset ended the session opened with the old password.
        var ended = await browser.Client.GetAsync("/console/lots");
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Contains("/console/signin", ended.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_producer_admin_manages_accounts_in_the_console_and_another_producer_cannot_reach_them()
    {
        var a = await App.NewProducerAsync();
        var b = await App.NewProducerAsync();
        var (adminId, adminTemp) = await CreateUserAsync(a.Api, $"admin.{a.Id}@example.vn", role: "admin", name: "Trần Văn Quản");
        var admin = await FirstSignInAsync(NewBrowser(), $"admin.{a.Id}@example.vn", adminTemp);

        // The admin creates a staff account; the temporary password is shown once.
        var staffLogin = $"0{Random.Shared.NextInt64(300000000, 999999999)}";
        var created = await admin.SubmitAsync("/console/users", "/console/users", new() { ["name"] = "Lò Thị Mai", ["login"] = staffLogin, ["role"] = "staff" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var html = await created.Content.ReadAsStringAsync();
        Assert.Contains("Mật khẩu tạm thời", html);
        var temporary = System.Text.RegularExpressions.Regex.Match(html, "<code class=\"secret\">([^<]+)</code>").Groups[1].Value;
        Assert.Matches("^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$", temporary);
        var staffId = (await a.Api.GetFromJsonAsync<JsonArray>("/api/v1/producers/me/users"))!
            .Single(u => (string)u!["login"]! == staffLogin)!["id"]!.ToString();

        // Bad input: a Vietnamese error beside the field, nothing stored.
        var bad = await admin.SubmitAsync("/console/users", "/console/users", new() { ["name"] = "X", ["login"] = "không phải", ["role"] = "staff" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Tên đăng nhập là địa chỉ e-mail hoặc số điện thoại", await bad.Content.ReadAsStringAsync());
        var taken = await admin.SubmitAsync("/console/users", "/console/users", new() { ["name"] = "Y", ["login"] = staffLogin, ["role"] = "staff" });
        Assert.Contains("đã được dùng cho một tài khoản khác", await taken.Content.ReadAsStringAsync());

        // Producer B (its key, in the API and in its console) neither sees nor resets nor disables A's accounts.
        Assert.DoesNotContain(staffId, (await b.Api.GetStringAsync("/api/v1/producers/me/users")));
        Assert.Equal(HttpStatusCode.NotFound, (await b.Api.PostAsync($"/api/v1/producers/me/users/{staffId}/reset", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.Api.DeleteAsync($"/api/v1/producers/me/users/{staffId}")).StatusCode);
        var bConsole = await b.SignInAsync();
        Assert.DoesNotContain(staffLogin, await bConsole.GetPageAsync("/console/users"));
        var bReset = await bConsole.SubmitAsync("/console/users", $"/console/users/{staffId}/reset", new());
        Assert.Equal(HttpStatusCode.NotFound, bReset.StatusCode);
        Assert.Contains("Không tìm thấy tài khoản này.", await bReset.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await bConsole.SubmitAsync("/console/users", $"/console/users/{staffId}/disable", new())).StatusCode);
        // A staff account of A cannot manage accounts either.
        var staff = await FirstSignInAsync(NewBrowser(), staffLogin, temporary);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Client.GetAsync("/console/users")).StatusCode);
        Assert.DoesNotContain("/console/users", await staff.GetPageAsync("/console/lots"));

        // A's admin disables the staff account: its open session ends and it can no longer sign in.
        var disabled = await admin.SubmitAsync("/console/users", $"/console/users/{staffId}/disable", new());
        Assert.Equal("/console/users?done=disabled", disabled.Headers.Location?.OriginalString);
        var afterDisable = await staff.Client.GetAsync("/console/lots");
        Assert.Contains("/console/signin", afterDisable.Headers.Location?.OriginalString);
        var refused = await SignInAsync(NewBrowser(), staffLogin, NewPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("tài khoản đã bị khoá", await refused.Content.ReadAsStringAsync());
        // The admin cannot disable itself (the key or another admin can).
        var self = await admin.SubmitAsync("/console/users", $"/console/users/{adminId}/disable", new());
        Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
        Assert.Contains("Bạn không thể tự khoá tài khoản của mình", await self.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_authority_admins_manage_any_producers_accounts_and_the_api_names_bad_fields()
    {
        var producer = await App.NewProducerAsync();
        var admin = App.Admin();
        var bad = await admin.PostAsJsonAsync($"/api/v1/producers/{producer.Id}/users", new { login = "x@", name = "", role = "owner" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(new[] { "login", "name", "role" }, errors.Select(e => e.Key).Order().ToArray());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/v1/producers/p_nope/users", new { login = "a@b.vn", name = "A", role = "staff" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/producers/p_nope/users")).StatusCode);

        var created = await admin.PostAsJsonAsync($"/api/v1/producers/{producer.Id}/users", new { login = $"giamdoc.{producer.Id}@example.vn", name = "Giám đốc", role = "admin" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["user"]!["id"]!;
        var listed = await admin.GetFromJsonAsync<JsonArray>($"/api/v1/producers/{producer.Id}/users");
        Assert.Equal(id, (string)listed!.Single()!["id"]!);
        // Another producer's id in the path does not reach this user.
        var other = await App.NewProducerAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/v1/producers/{other.Id}/users/{id}/reset", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/producers/{producer.Id}/users/{id}/reset", null)).StatusCode);
        var disabled = await admin.DeleteAsync($"/api/v1/producers/{producer.Id}/users/{id}");
        Assert.Equal("disabled", (string)(await disabled.Content.ReadFromJsonAsync<JsonObject>())!["status"]!);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.DeleteAsync($"/api/v1/producers/{producer.Id}/users/{id}")).StatusCode);
        var audit = App.Services.GetRequiredService<IAuditStore>();
        Assert.All(await audit.ListAuditAsync("producer_user:" + id, 10), e => Assert.Equal("admin-configured", e.Actor));
    }

    [Fact]
    public async Task The_key_sign_in_still_works_and_offers_the_accounts_page()
    {
        var producer = await App.NewProducerAsync();
        var browser = await producer.SignInAsync();
        var home = await browser.GetPageAsync("/console/lots");
        Assert.Contains("href=\"/console/users\"", home);
        Assert.DoesNotContain("href=\"/console/password\"", home);
        Assert.Contains("Thêm tài khoản", await browser.GetPageAsync("/console/users"));
    }
}

/// <summary>A host whose failed-authentication limit is 3 per window.</summary>
public sealed class StrictConsoleApp : IDisposable
{
    public ConsoleApp App { get; } = new() { Settings = new Dictionary<string, string> { ["Auth:FailureLimit"] = "3", ["Auth:FailureWindowSeconds"] = "600" } };

    public void Dispose() => App.Dispose();
}

public sealed class ProducerUserLimitTests(StrictConsoleApp fixture) : IClassFixture<StrictConsoleApp>
{
    [Fact]
    public async Task Wrong_passwords_count_in_the_failed_authentication_limit_and_block_even_the_right_one()
    {
        var producer = await fixture.App.NewProducerAsync();
        var login = $"limit.{producer.Id}@example.vn";
        var (_, temporary) = await ProducerUserTests.CreateUserAsync(producer.Api, login);
        var browser = new Browser(fixture.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        for (var i = 0; i < 3; i++)
        {
            var wrong = await browser.SubmitAsync("/console/signin", "/console/signin", new() { ["login"] = login, ["password"] = "sai-mat-khau-" + i });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        var blocked = await browser.SubmitAsync("/console/signin", "/console/signin", new() { ["login"] = login, ["password"] = temporary });
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.NotNull(blocked.Headers.RetryAfter);
        Assert.Contains("Đã đăng nhập sai quá nhiều lần", await blocked.Content.ReadAsStringAsync());
        // One limit: the API's keys are refused for this client too.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await producer.Api.GetAsync("/api/v1/products")).StatusCode);
    }
}
