namespace Traceability.Storage;

// Plain data shared by every provider: providers map it to their rows/documents, services to API DTOs.
// Identifiers are normalised before they get here (GTIN in 14 digits, CBV terms in their short form).

/// <summary>Officer and Viewer are the authority's named staff below Admin (issue 18): officers write, viewers only read.</summary>
public enum Role { Admin, Producer, Inspector, Officer, Viewer }

/// <summary>Who an API key belongs to. ProducerId/InspectorId set according to the role.</summary>
public sealed record Principal(string KeyId, Role Role, string? ProducerId, string? InspectorId, string Name);

/// <summary>A stored API key: only the salted hash of its secret part is kept. StaffId: the named staff account it belongs to.</summary>
public sealed record ApiKeyRecord(
    string KeyId, byte[] Salt, byte[] Hash, Role Role, string? ProducerId, string? InspectorId,
    DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt = null, string? StaffId = null);

/// <summary>
/// Phone and Email are the contact registered with the authority (private: staff and inspectors only);
/// PublicPhone and Website the contact the producer itself publishes on its products' consumer pages.
/// </summary>
public sealed record Producer(
    string Id, string Name, string TaxCode, string Address, string Province, string? Gln,
    IReadOnlyList<string> CompanyPrefixes, DateTimeOffset CreatedAt,
    string? Phone = null, string? Email = null, bool Suspended = false, string? PublicPhone = null, string? Website = null);

public sealed record Inspector(string Id, string Name, string Agency, DateTimeOffset CreatedAt);
