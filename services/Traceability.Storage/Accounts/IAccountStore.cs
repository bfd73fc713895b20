namespace Traceability.Storage;

public interface IAccountStore
{
    Task AddProducerAsync(Producer producer, ApiKeyRecord key, CancellationToken ct = default);
    Task<Producer?> GetProducerAsync(string id, CancellationToken ct = default);
    Task<IReadOnlyList<Producer>> ListProducersAsync(CancellationToken ct = default);
    Task AddInspectorAsync(Inspector inspector, ApiKeyRecord key, CancellationToken ct = default);
    Task<Inspector?> GetInspectorAsync(string id, CancellationToken ct = default);
    Task AddApiKeyAsync(ApiKeyRecord key, CancellationToken ct = default);
    Task<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken ct = default);
    Task<bool> RevokeApiKeyAsync(string keyId, DateTimeOffset at, CancellationToken ct = default);
    /// <summary>The producer's keys, revoked ones too, newest first (hashes only, as stored).</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListProducerKeysAsync(string producerId, CancellationToken ct = default);
}

/// <summary>The contact a producer publishes on its consumer pages, which it keeps up to date itself (console, API).</summary>
public interface IProducerProfileStore
{
    /// <summary>Replaces the public phone and website; false when there is no such producer.</summary>
    Task<bool> SetProducerPublicContactAsync(string producerId, string? phone, string? website, CancellationToken ct = default);
}
