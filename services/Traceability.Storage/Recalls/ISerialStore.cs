namespace Traceability.Storage;

/// <summary>A serialised label issued for a lot (`/21/{serial}`), and the signing key that signed it.</summary>
public sealed record IssuedSerial(string Gtin, string Lot, string Serial, string KeyId, DateTimeOffset IssuedAt);

/// <summary>
/// A label-signing key. PublicKey is the SubjectPublicKeyInfo; ProtectedPrivateKey is the private
/// key encrypted by the service (never stored in clear). RetiredAt: no longer signs, still verifies.
/// </summary>
public sealed record SigningKeyRecord(
    string KeyId, string Algorithm, byte[] PublicKey, byte[] ProtectedPrivateKey, DateTimeOffset CreatedAt,
    DateTimeOffset? RetiredAt = null);

public interface ISerialStore
{
    /// <summary>Records the serials (all or nothing).</summary>
    /// <exception cref="DuplicateKeyException">one of the serials already exists for the lot.</exception>
    Task AddSerialsAsync(IReadOnlyList<IssuedSerial> serials, CancellationToken ct = default);
    Task<IssuedSerial?> GetSerialAsync(string gtin14, string lot, string serial, CancellationToken ct = default);
    Task<long> CountSerialsAsync(string gtin14, string lot, CancellationToken ct = default);

    /// <exception cref="DuplicateKeyException">the key id exists.</exception>
    Task AddSigningKeyAsync(SigningKeyRecord key, CancellationToken ct = default);
    /// <summary>Every signing key, oldest first.</summary>
    Task<IReadOnlyList<SigningKeyRecord>> ListSigningKeysAsync(CancellationToken ct = default);
    Task<bool> RetireSigningKeyAsync(string keyId, DateTimeOffset at, CancellationToken ct = default);
}
