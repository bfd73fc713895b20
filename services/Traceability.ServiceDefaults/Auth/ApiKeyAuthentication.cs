using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Traceability.Storage;

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
        return Success(record.KeyId, record.Role, record.ProducerId, record.InspectorId);
    }

    /// <summary>Counts the failure against the client (UseFailedAuthLimit refuses it once over the limit).</summary>
    private AuthenticateResult Failed(string presented, string message)
    {
        failures.RecordFailure(Context, presented);
        return AuthenticateResult.Fail(message);
    }

    private static AuthenticateResult Success(string keyId, Role role, string? producerId, string? inspectorId)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, keyId),
            new(ClaimTypes.Role, role.ToString().ToLowerInvariant()),
        };
        if (producerId is { } p) claims.Add(new(TraceClaims.ProducerIdClaim, p));
        if (inspectorId is { } i) claims.Add(new(TraceClaims.InspectorIdClaim, i));
        var identity = new ClaimsIdentity(claims, SchemeName, ClaimTypes.NameIdentifier, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.ProblemWriter.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Authentication required",
            "Send a valid API key as 'Authorization: Bearer <key>'.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.ProblemWriter.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden",
            "This key's role may not use this endpoint.");
}

public static class TraceClaims
{
    public const string ProducerIdClaim = "producer_id";
    public const string InspectorIdClaim = "inspector_id";

    public static string? ProducerId(this ClaimsPrincipal user) => user.FindFirstValue(ProducerIdClaim);

    public static string? InspectorId(this ClaimsPrincipal user) => user.FindFirstValue(InspectorIdClaim);

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole("admin");
}

public static class Policies
{
    public const string Admin = "admin";
    public const string Producer = "producer";
    public const string Inspector = "inspector";
    public const string AdminOrProducer = "admin-or-producer";
    public const string AdminOrInspector = "admin-or-inspector";
}
