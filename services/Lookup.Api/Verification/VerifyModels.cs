using Traceability.Lookup.Api.Provenance;

namespace Traceability.Lookup.Api.Verification;

public sealed record VerifyRequest(string? Code, string? Province);

/// <summary>A reason behind a verdict: a stable machine code and a sentence for people.</summary>
public sealed record VerifyReason(string Code, string Message);

public static class Verdicts
{
    public const string Authentic = "authentic";
    public const string Unknown = "unknown";
    public const string Recalled = "recalled";
    public const string Expired = "expired";
    public const string Suspended = "suspended";
    public const string InvalidSignature = "invalid_signature";
    public const string Suspicious = "suspicious";
}

public static class ReasonCodes
{
    public const string SignatureValid = "signature_valid";
    public const string SignatureInvalid = "signature_invalid";
    public const string SignatureMissing = "signature_missing";
    public const string ProductNotRegistered = "product_not_registered";
    public const string LotNotRegistered = "lot_not_registered";
    public const string SerialNotIssued = "serial_not_issued";
    public const string Registered = "registered";
    public const string Recalled = "recalled";
    public const string ProducerSuspended = "producer_suspended";
    public const string Expired = "expired";
    public const string ExpiryMismatch = "expiry_mismatch";
    public const string TooManyScans = "too_many_scans";
    public const string ImpossibleTravel = "impossible_travel";
    public const string ScannedAfterExpiry = "scanned_after_expiry";
    public const string ScannedAfterRecall = "scanned_after_recall";
}

/// <summary>
/// The answer of POST /api/v1/verify. `product`, `lot`, `status` when the code is registered;
/// `inspection` only for inspectors and admins.
/// </summary>
public sealed record VerifyResponse(
    string Verdict,
    IReadOnlyList<VerifyReason> Reasons,
    string? Code,
    VerifiedProduct? Product,
    LotView? Lot,
    string? Serial,
    string? Status,
    RecallView? Recall,
    InspectorDetail? Inspection);

public sealed record VerifiedProduct(string Gtin, NameView Name, string? Brand, string? ImageUrl, ProducerView Producer, string? DigitalLink);

public sealed record InspectorDetail(ScanSummary Scans, ProducerContact Producer);

public sealed record ScanSummary(int Total, int Last24Hours, DateTimeOffset? First, DateTimeOffset? Last, IReadOnlyList<ProvinceCount> Provinces);

public sealed record ProvinceCount(string Province, int Count);

public sealed record ProducerContact(string Name, string TaxCode, string Address, string Province, string? Phone, string? Email);
