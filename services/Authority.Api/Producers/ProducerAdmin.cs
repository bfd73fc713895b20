using Traceability.Ingestion.Api.Accounts;

namespace Traceability.Authority.Api.Producers;

/// <summary>
/// The authority's writes about producers, each recorded in the audit log with who, when, what and
/// why. Registration is the API's own (<see cref="AccountService"/>: same validation, same key
/// shown once). Suspension sets the producer's flag, which the lookup's status source already turns
/// into status <c>suspended</c> on pages and verdicts; every cached answer is announced as changed
/// (<see cref="ChangeKeys.All"/>): this host's lookup cache empties at once, other hosts' through the change feed.
/// </summary>
public sealed partial class ProducerAdmin(AccountService accounts, KeyService keys, IAccountStore store, IAuditStore audit, TimeProvider time,
    ILogger<ProducerAdmin> logger, IEnumerable<IChangeNotifier> notifiers)
{
    public const int MaxReason = 1000;

    public async Task<Outcome<ProducerCreated>> RegisterAsync(ClaimsPrincipal user, CreateProducerRequest request, CancellationToken ct)
    {
        var outcome = await accounts.CreateProducerAsync(request, ct);
        if (!outcome.IsOk) return outcome;
        var created = outcome.Value!;
        // After the fact (AccountService writes the producer and its key in one transaction of its
        // own): a crash in between leaves a producer without its entry, never an entry without a producer.
        await audit.AddAuditAsync(Entry(user, "producer.register", created.Id, null,
            $"{created.Name} ({created.TaxCode}, {created.Province})"), ct);
        LogRegistered(logger, created.Id, StaffAudit.Actor(user));
        return outcome;
    }

    /// <summary>The producer's new status (suspended), or why not (no reason, no such producer).</summary>
    public Task<Outcome<string>> SuspendAsync(ClaimsPrincipal user, string id, string? reason, CancellationToken ct) =>
        SetSuspendedAsync(user, id, true, reason, ct);

    public Task<Outcome<string>> ReinstateAsync(ClaimsPrincipal user, string id, string? reason, CancellationToken ct) =>
        SetSuspendedAsync(user, id, false, reason, ct);

    private async Task<Outcome<string>> SetSuspendedAsync(ClaimsPrincipal user, string id, bool suspended, string? reason,
        CancellationToken ct)
    {
        // A suspension stops a business's goods being shown as authentic: it must say why.
        if (string.IsNullOrWhiteSpace(reason))
            return Outcome<string>.Invalid("reason", "A reason is required.");
        if (reason.Length > MaxReason)
            return Outcome<string>.Invalid("reason", $"At most {MaxReason} characters are allowed.");
        var action = suspended ? "producer.suspend" : "producer.reinstate";
        if (!await audit.SetProducerSuspendedAsync(id, suspended, Entry(user, action, id, reason.Trim(), null), ct))
            return Outcome<string>.NotFound($"There is no producer '{id}'.");
        foreach (var notifier in notifiers) notifier.Changed(ChangeKeys.All);
        LogSuspension(logger, id, suspended ? "suspended" : "reinstated", StaffAudit.Actor(user));
        return Outcome<string>.Ok(suspended ? "suspended" : "active");
    }

    /// <summary>The producer's API keys, newest first (ids and dates only: secrets are not kept).</summary>
    public Task<IReadOnlyList<ApiKeyRecord>> KeysAsync(string producerId, CancellationToken ct) => store.ListProducerKeysAsync(producerId, ct);

    /// <summary>
    /// Revokes one of the producer's keys; with <paramref name="issueNew"/> (rotation) a new key is
    /// issued and shown once. The key service's own rules (the key must be this producer's); audited.
    /// </summary>
    public async Task<Outcome<KeyRevoked>> RevokeKeyAsync(ClaimsPrincipal user, string producerId, string? keyId, bool issueNew, CancellationToken ct)
    {
        var outcome = await keys.RevokeProducerKeyAsync(producerId, new RevokeKeyRequest(keyId, issueNew), ct);
        if (!outcome.IsOk) return outcome;
        var done = outcome.Value!;
        await audit.AddAuditAsync(Entry(user, issueNew ? "producer.key.rotate" : "producer.key.revoke", producerId, null,
            done.KeyId is { } next ? $"{done.RevokedKeyId} → {next}" : done.RevokedKeyId), ct);
        LogKey(logger, done.RevokedKeyId, producerId, StaffAudit.Actor(user));
        return outcome;
    }

    /// <summary>A new key for the producer (e.g. after all were revoked), shown once; null when there is no such producer. Audited.</summary>
    public async Task<string?> IssueKeyAsync(ClaimsPrincipal user, string producerId, CancellationToken ct)
    {
        if (await store.GetProducerAsync(producerId, ct) is null) return null;
        var (plainText, key) = ApiKeys.Issue(Role.Producer, time.GetUtcNow(), producerId);
        await store.AddApiKeyAsync(key, ct);
        await audit.AddAuditAsync(Entry(user, "producer.key.issue", producerId, null, key.KeyId), ct);
        return plainText;
    }

    private AuditEntry Entry(ClaimsPrincipal user, string action, string producerId, string? reason, string? details) =>
        StaffAudit.Entry(user, time.GetUtcNow(), action, "producer:" + producerId, reason, details);

    [LoggerMessage(Level = LogLevel.Information, Message = "Producer {ProducerId} registered by {Actor}")]
    private static partial void LogRegistered(ILogger logger, string producerId, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key {KeyId} of producer {ProducerId} revoked by {Actor}")]
    private static partial void LogKey(ILogger logger, string keyId, string producerId, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Producer {ProducerId} {Change} by {Actor}")]
    private static partial void LogSuspension(ILogger logger, string producerId, string change, string actor);
}
