using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace Traceability.Ingestion.Api.Accounts;

public sealed record CreateProducerUserRequest(string? Login, string? Name, string? Role);

/// <summary>A producer's user as the API and the console show it; Status is active | disabled. Never the hash.</summary>
public sealed record ProducerUserView(string Id, string ProducerId, string Login, string Name, string Role, string Status,
    bool MustChangePassword, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? DisabledAt)
{
    public static ProducerUserView From(ProducerUser u) => new(u.Id, u.ProducerId, u.Login, u.Name, u.Role,
        u.IsActive ? "active" : "disabled", u.MustChangePassword, u.CreatedAt, u.CreatedBy, u.DisabledAt);
}

/// <summary>A created or reset user with the one-time temporary password, shown this once (only its hash is kept).</summary>
public sealed record ProducerUserPassword(ProducerUserView User, string TemporaryPassword);

public static class ProducerUserRoles
{
    /// <summary>Manages the producer's users (as the producer's key does).</summary>
    public const string Admin = "admin";
    public const string Staff = "staff";
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Admin, Staff };
}

/// <summary>
/// Personal console accounts of a producer's staff (issue 21 point 8). The producer's API key stays
/// for machines; people sign in with their e-mail or phone and a password. Passwords are hashed with
/// ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2-HMAC-SHA512, salted, its
/// iteration count inside the hash, so older hashes are upgraded at the next sign-in). Accounts are
/// created, reset and disabled by the producer's admin or the authority, each audited; a reset gives
/// a one-time temporary password that must be changed at the next sign-in.
/// </summary>
public sealed partial class ProducerUserService(IProducerUserStore store, IAccountStore accounts, TimeProvider time,
    ILogger<ProducerUserService> logger)
{
    public const int MinPassword = 10;
    public const int MaxPassword = 128;
    public const int MaxName = 200;

    private static readonly PasswordHasher<ProducerUser> Hasher = new();

    // Verified for an unknown login, so that a wrong login takes as long as a wrong password.
    private static readonly Lazy<string> DecoyHash = new(() => Hasher.HashPassword(null!, RandomNumberGenerator.GetHexString(16)));

    public async Task<Outcome<ProducerUserPassword>> CreateAsync(ClaimsPrincipal actor, string producerId, CreateProducerUserRequest r, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var login = NormalizeLogin(r.Login);
        if (login is null) errors.Add("login", "The login is an e-mail address or a phone number (8 to 15 digits, an optional leading '+').");
        if (string.IsNullOrWhiteSpace(r.Name) || r.Name.Trim().Length > MaxName)
            errors.Add("name", $"The name is required (at most {MaxName} characters).");
        if (r.Role is null || !ProducerUserRoles.All.Contains(r.Role))
            errors.Add("role", "The role must be admin or staff.");
        if (!errors.IsValid) return Outcome<ProducerUserPassword>.Invalid(errors);
        if (await accounts.GetProducerAsync(producerId, ct) is null)
            return Outcome<ProducerUserPassword>.NotFound($"There is no producer '{producerId}'.");

        var now = time.GetUtcNow();
        var who = actor.Actor();
        var password = TemporaryPassword();
        var user = new ProducerUser("pu_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), producerId, login!, r.Name!.Trim(),
            r.Role!, "", MustChangePassword: true, now, now, who);
        user = user with { PasswordHash = Hasher.HashPassword(user, password) };
        try
        {
            await store.AddProducerUserAsync(user, AuditEntry.New(now, who, "producer_user.create", Target(user.Id), null,
                $"{user.Name} ({user.Login}, {user.Role}) of {producerId}"), ct);
        }
        catch (DuplicateKeyException)
        {
            return Outcome<ProducerUserPassword>.Invalid("login", $"The login {login} is already used by another account.");
        }
        LogCreated(logger, user.Id, producerId, who);
        return Outcome<ProducerUserPassword>.Ok(new ProducerUserPassword(ProducerUserView.From(user), password));
    }

    public async Task<Outcome<IReadOnlyList<ProducerUserView>>> ListAsync(string producerId, CancellationToken ct) =>
        await accounts.GetProducerAsync(producerId, ct) is null
            ? Outcome<IReadOnlyList<ProducerUserView>>.NotFound($"There is no producer '{producerId}'.")
            : Outcome<IReadOnlyList<ProducerUserView>>.Ok([.. (await store.ListProducerUsersAsync(producerId, ct)).Select(ProducerUserView.From)]);

    /// <summary>A new temporary password for the producer's user; their sessions end (the password changed).</summary>
    public async Task<Outcome<ProducerUserPassword>> ResetAsync(ClaimsPrincipal actor, string producerId, string userId, CancellationToken ct)
    {
        var user = await store.GetProducerUserAsync(userId, ct);
        // Another producer's user is reported as unknown: ids are not to be probed.
        if (user is null || user.ProducerId != producerId)
            return Outcome<ProducerUserPassword>.NotFound($"Producer {producerId} has no user '{userId}'.");
        var now = time.GetUtcNow();
        var who = actor.Actor();
        var password = TemporaryPassword();
        var hash = Hasher.HashPassword(user, password);
        if (!await store.SetProducerUserPasswordAsync(userId, hash, mustChange: true, now,
                AuditEntry.New(now, who, "producer_user.reset", Target(userId), null, $"{user.Name} ({user.Login})"), ct))
            return Outcome<ProducerUserPassword>.Conflict($"The user '{userId}' is disabled.");
        LogReset(logger, userId, who);
        return Outcome<ProducerUserPassword>.Ok(new ProducerUserPassword(
            ProducerUserView.From(user with { MustChangePassword = true, PasswordChangedAt = now }), password));
    }

    public async Task<Outcome<ProducerUserView>> DisableAsync(ClaimsPrincipal actor, string producerId, string userId, CancellationToken ct)
    {
        var user = await store.GetProducerUserAsync(userId, ct);
        if (user is null || user.ProducerId != producerId)
            return Outcome<ProducerUserView>.NotFound($"Producer {producerId} has no user '{userId}'.");
        if (actor.ConsoleUserId() == userId)
            return Outcome<ProducerUserView>.Conflict("You cannot disable your own account: ask another admin of your producer.");
        var now = time.GetUtcNow();
        var who = actor.Actor();
        if (!await store.DisableProducerUserAsync(userId, now,
                AuditEntry.New(now, who, "producer_user.disable", Target(userId), null, $"{user.Name} ({user.Login})"), ct))
            return Outcome<ProducerUserView>.Conflict($"The user '{userId}' is already disabled.");
        LogDisabled(logger, userId, who);
        return Outcome<ProducerUserView>.Ok(ProducerUserView.From(user with { DisabledAt = now }));
    }

    /// <summary>
    /// The active user whose login and password these are, or null (unknown login, wrong password or a
    /// disabled account: one answer, so the form does not tell which logins exist).
    /// </summary>
    public async Task<ProducerUser?> SignInAsync(string? login, string? password, CancellationToken ct)
    {
        var normalized = NormalizeLogin(login);
        var user = normalized is null || string.IsNullOrEmpty(password) || password.Length > MaxPassword
            ? null : await store.FindProducerUserByLoginAsync(normalized, ct);
        if (user is null)
        {
            Hasher.VerifyHashedPassword(null!, DecoyHash.Value, password ?? "");
            return null;
        }
        var result = Hasher.VerifyHashedPassword(user, user.PasswordHash, password!);
        if (result == PasswordVerificationResult.Failed || !user.IsActive) return null;
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            // Same password, stronger parameters: the change time stays, so no session ends.
            var rehashed = Hasher.HashPassword(user, password!);
            await store.SetProducerUserPasswordAsync(user.Id, rehashed, user.MustChangePassword, user.PasswordChangedAt, null, ct);
            user = user with { PasswordHash = rehashed };
        }
        return user;
    }

    /// <summary>The user's own change of password (after a reset, or at will); the current one must be given.</summary>
    public async Task<Outcome<ProducerUser>> ChangePasswordAsync(string userId, string? current, string? next, string? confirm, CancellationToken ct)
    {
        var user = await store.GetProducerUserAsync(userId, ct);
        if (user is null || !user.IsActive) return Outcome<ProducerUser>.NotFound($"There is no active user '{userId}'.");
        var errors = new ValidationErrors();
        if (string.IsNullOrEmpty(current) || current.Length > MaxPassword
            || Hasher.VerifyHashedPassword(user, user.PasswordHash, current) == PasswordVerificationResult.Failed)
            errors.Add("current", "The current password is wrong.");
        foreach (var problem in PasswordProblems(user.Login, next)) errors.Add("password", problem);
        if (next is not null && next == current) errors.Add("password", "The new password must differ from the current one.");
        if (next != confirm) errors.Add("confirm", "The two new passwords differ.");
        if (!errors.IsValid) return Outcome<ProducerUser>.Invalid(errors);

        var now = time.GetUtcNow();
        var hash = Hasher.HashPassword(user, next!);
        if (!await store.SetProducerUserPasswordAsync(userId, hash, mustChange: false, now,
                AuditEntry.New(now, $"{user.Name} ({user.Login})", "producer_user.password", Target(userId)), ct))
            return Outcome<ProducerUser>.NotFound($"There is no active user '{userId}'.");
        return Outcome<ProducerUser>.Ok(user with { PasswordHash = hash, MustChangePassword = false, PasswordChangedAt = now });
    }

    /// <summary>What is wrong with <paramref name="password"/> as <paramref name="login"/>'s new password (empty when nothing).</summary>
    public static IEnumerable<string> PasswordProblems(string login, string? password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinPassword)
        {
            yield return $"The password needs at least {MinPassword} characters.";
            yield break;
        }
        if (password.Length > MaxPassword) yield return $"The password may have at most {MaxPassword} characters.";
        // The login is known to colleagues and printed on business cards: never part of the password.
        var digits = login.StartsWith('0') ? login[1..] : login;
        if (password.Contains(login, StringComparison.OrdinalIgnoreCase)
            || (!login.Contains('@') && digits.Length >= 6 && new string([.. password.Where(char.IsAsciiDigit)]).Contains(digits, StringComparison.Ordinal)))
            yield return "The password must not contain your own e-mail address or phone number.";
    }

    /// <summary>
    /// An e-mail address in lower case, or a phone number as digits only (a Vietnamese +84 prefix as
    /// the leading 0 people dial); null when it is neither.
    /// </summary>
    public static string? NormalizeLogin(string? login)
    {
        var text = login?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > 254) return null;
        if (text.Contains('@')) return EmailPattern().IsMatch(text) ? text.ToLowerInvariant() : null;
        var phone = PhoneSeparators().Replace(text, "");
        if (phone.StartsWith("+84", StringComparison.Ordinal)) phone = "0" + phone[3..];
        else if (phone.StartsWith('+')) phone = phone[1..];
        return phone.Length is >= 8 and <= 15 && phone.All(char.IsAsciiDigit) ? phone : null;
    }

    /// <summary>12 random letters and digits without look-alikes (no 0/o, 1/l/i), in groups of 4 to read out over the phone.</summary>
    private static string TemporaryPassword()
    {
        var s = RandomNumberGenerator.GetString("abcdefghjkmnpqrstuvwxyz23456789", 12);
        return $"{s[..4]}-{s[4..8]}-{s[8..]}";
    }

    public static string Target(string userId) => "producer_user:" + userId;

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"[\s.\-()]")]
    private static partial Regex PhoneSeparators();

    [LoggerMessage(Level = LogLevel.Information, Message = "Producer user {UserId} of {ProducerId} created by {Actor}")]
    private static partial void LogCreated(ILogger logger, string userId, string producerId, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Producer user {UserId}: password reset by {Actor}")]
    private static partial void LogReset(ILogger logger, string userId, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Producer user {UserId} disabled by {Actor}")]
    private static partial void LogDisabled(ILogger logger, string userId, string actor);
}
