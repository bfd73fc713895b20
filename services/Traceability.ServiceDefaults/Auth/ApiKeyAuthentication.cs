using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;

namespace Traceability.ServiceDefaults.Auth;

/// <summary>Bearer API keys checked against the hashed keys in the store.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IAccountStore accounts, Microsoft.Extensions.Configuration.IConfiguration configuration, FailedAuthLimiter failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        // A client over its failure limit is not even checked; an endpoint that needs a key answers it 429.
        if (failures.RetryAfter(Context) is { } wait)
        {
            _blockedFor = wait;
            return AuthenticateResult.Fail("Too many failed authentications from this client.");
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Failed(header, "Use 'Authorization: Bearer <key>'.");
        var presented = header["Bearer ".Length..].Trim();
        if (configuration["Auth:AdminKey"] is { Length: > 0 } adminKey && ApiKeys.SameKey(presented, adminKey))
            return Success("admin-configured", Role.Admin, null, null);
        if (!ApiKeys.TrySplit(presented, out var keyId, out var secret))
            return Failed(presented, "Unknown key.");
        var record = await accounts.GetApiKeyAsync(keyId, Context.RequestAborted);
        if (record is null || !ApiKeys.Verify(record, secret))
            return Failed(presented, "Unknown key.");
        // A named staff member's key: their name is the audit log's actor (ClaimTypes.Name).
        var staffName = record.StaffId is { } staffId && Context.RequestServices.GetService(typeof(IStaffStore)) is IStaffStore staff
            ? (await staff.GetStaffAsync(staffId, Context.RequestAborted))?.Name : null;
        return Success(record.KeyId, record.Role, record.ProducerId, record.InspectorId, staffName);
    }

    private TimeSpan? _blockedFor;
    private string? _rejectedKey;

    /// <summary>
    /// Remembers the rejected key; it counts against the client only if an endpoint that needs a
    /// key is refused for it (the challenge below). A bearer token meant for someone else — the
    /// in-process portal simulator's own tokens — on an endpoint that does not use these keys never counts.
    /// </summary>
    private AuthenticateResult Failed(string presented, string message)
    {
        _rejectedKey = presented;
        return AuthenticateResult.Fail(message);
    }

    private static AuthenticateResult Success(string keyId, Role role, string? producerId, string? inspectorId, string? staffName = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, keyId),
            new(ClaimTypes.Role, role.ToString().ToLowerInvariant()),
        };
        if (producerId is { } p) claims.Add(new(TraceClaims.ProducerIdClaim, p));
        if (inspectorId is { } i) claims.Add(new(TraceClaims.InspectorIdClaim, i));
        if (staffName is not null) claims.Add(new(ClaimTypes.Name, staffName));
        var identity = new ClaimsIdentity(claims, SchemeName, ClaimTypes.NameIdentifier, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (_blockedFor is { } wait)
        {
            var seconds = FailedAuthLimiter.SetRetryAfter(Context, wait);
            return Problems.ProblemWriter.WriteAsync(Context, StatusCodes.Status429TooManyRequests, "Too many failed authentications",
                $"This client sent too many unknown or revoked keys; wait {seconds} s ('Retry-After') and try again with a valid key.");
        }
        if (_rejectedKey is { } rejected) failures.RecordFailure(Context, rejected);
        return Problems.ProblemWriter.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Authentication required",
            "Send a valid API key as 'Authorization: Bearer <key>'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.ProblemWriter.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden",
            "This key's role may not use this endpoint.");
}

public static class TraceClaims
{
    public const string ProducerIdClaim = "producer_id";
    public const string InspectorIdClaim = "inspector_id";
    /// <summary>A console session opened with a person's own account (not the producer's key): the account's id.</summary>
    public const string ConsoleUserIdClaim = "console_user_id";
    /// <summary>The person behind a session when its name (ClaimTypes.Name) is their organisation's: "Name (login)".</summary>
    public const string PersonClaim = "person";

    public static string? ProducerId(this ClaimsPrincipal user) => user.FindFirstValue(ProducerIdClaim);

    public static string? InspectorId(this ClaimsPrincipal user) => user.FindFirstValue(InspectorIdClaim);

    public static string? ConsoleUserId(this ClaimsPrincipal user) => user.FindFirstValue(ConsoleUserIdClaim);

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole("admin");

    /// <summary>The authority's staff who may write (issue recalls, suspend producers): admins and officers, not viewers.</summary>
    public static bool IsStaffWriter(this ClaimsPrincipal user) => user.IsInRole("admin") || user.IsInRole("officer");

    /// <summary>Who did it, as the audit log names them: a person signed in with their account, a named staff member, else the key's id.</summary>
    public static string Actor(this ClaimsPrincipal user) =>
        user.FindFirstValue(PersonClaim) ?? user.FindFirstValue(ClaimTypes.Name) ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown";
}

public static class Policies
{
    public const string Admin = "admin";
    public const string Producer = "producer";
    public const string Inspector = "inspector";
    public const string AdminOrProducer = "admin-or-producer";
    public const string AdminOrInspector = "admin-or-inspector";
    /// <summary>The authority's staff APIs: reads for every staff role (admin, officer, viewer)…</summary>
    public const string Staff = "staff";
    /// <summary>…writes for admins and officers.</summary>
    public const string StaffWriter = "staff-writer";
    /// <summary>Recalls: issued or ended by the authority's writers or the owning producer.</summary>
    public const string StaffWriterOrProducer = "staff-writer-or-producer";
}
