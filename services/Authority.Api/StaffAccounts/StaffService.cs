namespace Traceability.Authority.Api.StaffAccounts;

public sealed record CreateStaffRequest(string? Name, string? Unit, string? Role);

public sealed record StaffRevokeRequest(string? Reason);

/// <summary>A staff account as the API and the pages show it; Status is active | revoked. Never a key.</summary>
public sealed record StaffView(string Id, string Name, string Unit, string Role, string Status, DateTimeOffset CreatedAt,
    string CreatedBy, DateTimeOffset? RevokedAt)
{
    public static StaffView From(StaffAccount s) =>
        new(s.Id, s.Name, s.Unit, s.Role, s.IsActive ? "active" : "revoked", s.CreatedAt, s.CreatedBy, s.RevokedAt);
}

/// <summary>A new account with its key, shown this once (only its hash is kept).</summary>
public sealed record StaffCreated(StaffView Staff, string KeyId, string ApiKey);

/// <summary>
/// The authority's named staff accounts (issue 18): an admin creates them (name, unit, role) and
/// revokes them. Each account's key is an API key of role Admin, Officer or Viewer naming the account,
/// so the same key opens the staff APIs and the workspace, and revoking the account revokes its keys
/// at once (its sessions end on their next request: the session re-checks its key). Both are audited.
/// It is also the directory other features pick assignees from.
/// </summary>
public sealed partial class StaffService(IStaffStore store, TimeProvider time, ILogger<StaffService> logger) : IStaffDirectory
{
    public const int MaxName = 200;
    public const int MaxReason = 1000;

    public async Task<Outcome<StaffCreated>> CreateAsync(ClaimsPrincipal user, CreateStaffRequest request, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > MaxName)
            errors.Add("name", $"The name is required (at most {MaxName} characters).");
        if (string.IsNullOrWhiteSpace(request.Unit) || request.Unit.Trim().Length > MaxName)
            errors.Add("unit", $"The unit is required (at most {MaxName} characters), e.g. the department.");
        if (request.Role is null || !StaffRoles.All.Contains(request.Role))
            errors.Add("role", "The role must be one of: admin, officer, viewer.");
        if (!errors.IsValid) return Outcome<StaffCreated>.Invalid(errors);

        var now = time.GetUtcNow();
        var actor = user.Actor();
        var account = new StaffAccount("st_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), request.Name!.Trim(),
            request.Unit!.Trim(), request.Role!, now, actor);
        var (plainText, key) = ApiKeys.Issue(StaffRoles.KeyRole(account.Role), now);
        await store.AddStaffAsync(account, key with { StaffId = account.Id },
            AuditEntry.New(now, actor, "staff.create", Target(account.Id), null, $"{account.Name} ({account.Unit}, {account.Role})"), ct);
        LogCreated(logger, account.Id, account.Role, actor);
        return Outcome<StaffCreated>.Ok(new StaffCreated(StaffView.From(account), key.KeyId, plainText));
    }

    public async Task<IReadOnlyList<StaffView>> ListAsync(CancellationToken ct) =>
        [.. (await store.ListStaffAsync(ct)).Select(StaffView.From)];

    public async Task<Outcome<StaffView>> RevokeAsync(ClaimsPrincipal user, string id, string? reason, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > MaxReason)
            return Outcome<StaffView>.Invalid("reason", $"A reason is required (at most {MaxReason} characters).");
        var account = await store.GetStaffAsync(id, ct);
        if (account is null) return Outcome<StaffView>.NotFound($"There is no staff account '{id}'.");
        var now = time.GetUtcNow();
        var actor = user.Actor();
        if (!await store.RevokeStaffAsync(id, now, AuditEntry.New(now, actor, "staff.revoke", Target(id), reason.Trim(), account.Name), ct))
            return Outcome<StaffView>.Conflict($"The staff account '{id}' is already revoked.");
        LogRevoked(logger, id, actor);
        return Outcome<StaffView>.Ok(StaffView.From(account with { RevokedAt = now }));
    }

    /// <summary>The bootstrap admin (always there) and every active named account.</summary>
    public async Task<IReadOnlyList<StaffMember>> ListActiveAsync(CancellationToken ct) =>
    [
        StaffMember.Bootstrap,
        .. (await store.ListStaffAsync(ct)).Where(s => s.IsActive).Select(s => new StaffMember(s.Id, s.Name, s.Unit, s.Role)),
    ];

    public static string Target(string staffId) => "staff:" + staffId;

    [LoggerMessage(Level = LogLevel.Information, Message = "Staff account {StaffId} ({Role}) created by {Actor}")]
    private static partial void LogCreated(ILogger logger, string staffId, string role, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Staff account {StaffId} revoked by {Actor}")]
    private static partial void LogRevoked(ILogger logger, string staffId, string actor);
}
