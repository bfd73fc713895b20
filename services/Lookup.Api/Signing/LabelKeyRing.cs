using Microsoft.AspNetCore.DataProtection;

namespace Traceability.Lookup.Api.Signing;

/// <summary>
/// The label-signing keys: ECDSA P-256, kept in the store (so every instance signs and verifies
/// with the same keys), the private half encrypted with ASP.NET Data Protection. The newest
/// unretired key signs; it is rotated after Verify:SigningKeyRotationDays (or by an admin), and
/// retired keys stay published so labels already printed keep verifying.
/// </summary>
public sealed class LabelKeyRing(ISerialStore store, IDataProtectionProvider protection, TimeProvider time,
    IOptions<VerifyOptions> options)
{
    private const string Purpose = "Traceability.Lookup.LabelSigningKeys.v1";
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private volatile Snapshot? _snapshot;

    private sealed record Entry(SigningKeyRecord Record, ECDsa PublicKey);

    private sealed record Snapshot(IReadOnlyList<Entry> Keys, DateTimeOffset LoadedAt)
    {
        public Entry? Active => Keys.LastOrDefault(k => k.Record.RetiredAt is null);
    }

    /// <summary>The key id and private key that sign new labels (created or rotated when needed).</summary>
    public async Task<(string KeyId, ECDsa Key)> SigningKeyAsync(CancellationToken ct)
    {
        var snapshot = await LoadAsync(ct);
        var now = time.GetUtcNow();
        if (snapshot.Active is not { } active || now - active.Record.CreatedAt > TimeSpan.FromDays(options.Value.SigningKeyRotationDays))
        {
            await RotateAsync(ct);
            snapshot = await LoadAsync(ct);
            active = snapshot.Active!;
        }
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(Protector.Unprotect(active.Record.ProtectedPrivateKey), out _);
        return (active.Record.KeyId, key);
    }

    /// <summary>Creates a new signing key and retires the previous one. Returns the new key id.</summary>
    public async Task<string> RotateAsync(CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var now = time.GetUtcNow();
            var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
            var previous = (await store.ListSigningKeysAsync(ct)).Where(k => k.RetiredAt is null).ToList();
            await store.AddSigningKeyAsync(new SigningKeyRecord(keyId, LabelSignature.Algorithm, key.ExportSubjectPublicKeyInfo(),
                Protector.Protect(key.ExportPkcs8PrivateKey()), now), ct);
            foreach (var old in previous) await store.RetireSigningKeyAsync(old.KeyId, now, ct);
            _snapshot = null;
            return keyId;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The published keys (active and retired).</summary>
    public async Task<JsonWebKeySet> PublishedAsync(CancellationToken ct)
    {
        var snapshot = await LoadAsync(ct);
        return new JsonWebKeySet(snapshot.Keys.Select(k =>
            PublicJwk.From(k.Record.KeyId, k.PublicKey, k.Record.RetiredAt is null, k.Record.CreatedAt)).ToList());
    }

    /// <summary>The public key with this id, reloading once when it is not known yet (another instance rotated).</summary>
    public async Task<ECDsa?> PublicKeyAsync(string keyId, CancellationToken ct)
    {
        var found = (await LoadAsync(ct)).Keys.FirstOrDefault(k => k.Record.KeyId == keyId);
        if (found is not null) return found.PublicKey;
        // At most one reload per few seconds, so made-up key ids cannot hammer the store.
        if (_snapshot is { } s && time.GetUtcNow() - s.LoadedAt < TimeSpan.FromSeconds(10)) return null;
        _snapshot = null;
        return (await LoadAsync(ct)).Keys.FirstOrDefault(k => k.Record.KeyId == keyId)?.PublicKey;
    }

    private IDataProtector Protector => protection.CreateProtector(Purpose);

    private async Task<Snapshot> LoadAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_snapshot is { } s && now - s.LoadedAt < RefreshEvery) return s;
        var keys = (await store.ListSigningKeysAsync(ct)).Select(r =>
        {
            var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(r.PublicKey, out _);
            return new Entry(r, key);
        }).ToList();
        var fresh = new Snapshot(keys, now);
        _snapshot = fresh;
        return fresh;
    }
}
