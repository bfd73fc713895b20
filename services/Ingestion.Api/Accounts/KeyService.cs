namespace Traceability.Ingestion.Api.Accounts;

public sealed record KeyIssued(string KeyId, string ApiKey, string? RevokedKeyId);

public sealed record RevokeKeyRequest(string? KeyId, bool IssueNewKey = false);

public sealed record KeyRevoked(string RevokedKeyId, string? KeyId, string? ApiKey);

/// <summary>Key rotation (by the key's holder) and revocation (by the authority).</summary>
public sealed class KeyService(IAccountStore store, TimeProvider time)
{
    /// <summary>The caller's stored key becomes a new key of the same owner; the old one stops working.</summary>
    public async Task<Outcome<KeyIssued>> RotateAsync(string? callerKeyId, CancellationToken ct)
    {
        var current = callerKeyId is null ? null : await store.GetApiKeyAsync(callerKeyId, ct);
        if (current is null || current.RevokedAt is not null)
            return Outcome<KeyIssued>.Conflict("This key is set in configuration (Auth:AdminKey), not stored: change it there.");
        var now = time.GetUtcNow();
        var (plainText, next) = ApiKeys.Issue(current.Role, now, current.ProducerId, current.InspectorId);
        // A staff member's new key stays theirs (revoking the account revokes it too).
        next = next with { StaffId = current.StaffId };
        // New key first: if revoking fails, the caller still holds a working key.
        await store.AddApiKeyAsync(next, ct);
        await store.RevokeApiKeyAsync(current.KeyId, now, ct);
        return Outcome<KeyIssued>.Ok(new KeyIssued(next.KeyId, plainText, current.KeyId));
    }

    public async Task<Outcome<KeyRevoked>> RevokeProducerKeyAsync(string producerId, RevokeKeyRequest request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.KeyId))
            return Outcome<KeyRevoked>.Invalid("keyId", "The id of the key to revoke is required (the part after 'trc_').");
        if (await store.GetProducerAsync(producerId, ct) is null)
            return Outcome<KeyRevoked>.NotFound($"No producer {producerId}.");
        var key = await store.GetApiKeyAsync(request.KeyId, ct);
        // Another producer's key id is reported as unknown: ids are not to be probed.
        if (key is null || key.ProducerId != producerId)
            return Outcome<KeyRevoked>.NotFound($"Producer {producerId} has no key {request.KeyId}.");
        var now = time.GetUtcNow();
        await store.RevokeApiKeyAsync(key.KeyId, now, ct);
        if (!request.IssueNewKey) return Outcome<KeyRevoked>.Ok(new KeyRevoked(key.KeyId, null, null));
        var (plainText, next) = ApiKeys.Issue(Role.Producer, now, producerId);
        await store.AddApiKeyAsync(next, ct);
        return Outcome<KeyRevoked>.Ok(new KeyRevoked(key.KeyId, next.KeyId, plainText));
    }
}
