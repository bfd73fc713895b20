namespace Traceability.Domain.Verification;

/// <summary>
/// The verdicts of a scanned code (DESIGN §4.5), in precedence order: when several apply, the first
/// wins. One list for every surface: verify, the public page and JSON, the inspector app and the
/// inspection record. `authentic` is the only "genuine": a serial this service issued whose
/// signature verifies; `registered` is a GTIN- or lot-level match, which a photocopy also has.
/// </summary>
public static class Verdicts
{
    public const string InvalidSignature = "invalid_signature";
    public const string Unknown = "unknown";
    public const string Recalled = "recalled";
    public const string Suspended = "suspended";
    public const string Expired = "expired";
    public const string Suspicious = "suspicious";
    public const string Authentic = "authentic";
    public const string Registered = "registered";

    /// <summary>Every verdict, most severe first (the precedence).</summary>
    public static readonly IReadOnlyList<string> Precedence =
        [InvalidSignature, Unknown, Recalled, Suspended, Expired, Suspicious, Authentic, Registered];

    /// <summary>The verdict's name for people, Vietnamese first.</summary>
    public static Text Name(string verdict) => verdict switch
    {
        InvalidSignature => new("Chữ ký không hợp lệ — nghi giả", "Invalid signature — likely fake"),
        Unknown => new("Không có trong hệ thống", "Not registered"),
        Recalled => new("Đã bị thu hồi", "Recalled"),
        Suspended => new("Nhà sản xuất bị đình chỉ", "Producer suspended"),
        Expired => new("Hết hạn", "Expired"),
        Suspicious => new("Đáng ngờ — có thể bị sao chép", "Suspicious — possible copy"),
        Authentic => new("Đã xác thực — chính hãng", "Verified — genuine"),
        Registered => new("Đã đăng ký", "Registered"),
        _ => new(verdict, verdict),
    };
}

/// <summary>How much a code proves, in the provenance JSON's `assurance`.</summary>
public static class Assurance
{
    /// <summary>A serial this service issued, with a valid signature and no clone signal.</summary>
    public const string Verified = "verified";

    /// <summary>Matches registered master data (a GTIN or lot code): anyone can copy it.</summary>
    public const string Registered = "registered";

    /// <summary>A signature that fails, or clone signals: the code proves nothing.</summary>
    public const string Unverified = "unverified";
}

/// <summary>A sentence in Vietnamese and English; <see cref="For"/> picks by language (Vietnamese by default).</summary>
public sealed record Text(string Vi, string En)
{
    public string For(string? lang) => lang == "en" ? En : Vi;
}

/// <summary>One finding behind a verdict: a stable machine code and its sentence in both languages.</summary>
public sealed record Finding(string Code, Text Message);

/// <summary>The stable codes of findings (the `reasons[].code` of verify).</summary>
public static class ReasonCodes
{
    public const string SignatureValid = "signature_valid";
    public const string SignatureInvalid = "signature_invalid";
    public const string SignatureMissing = "signature_missing";
    public const string ProductNotRegistered = "product_not_registered";
    public const string LotNotRegistered = "lot_not_registered";
    public const string SerialNotIssued = "serial_not_issued";
    public const string Registered = "registered";
    public const string NotProof = "not_proof";
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
/// What an inspection may conclude: the verdict the app showed, or the inspector's own finding.
/// One vocabulary for the inspection record, the workspace and the public warnings.
/// </summary>
public static class InspectionResults
{
    public const string Compliant = "compliant";
    public const string Violation = "violation";
    public const string Seized = "seized";

    public static readonly IReadOnlyList<string> All = [.. Verdicts.Precedence, Compliant, Violation, Seized];

    /// <summary>The result's name for people, Vietnamese first.</summary>
    public static Text Name(string result) => result switch
    {
        Compliant => new("Đạt yêu cầu", "Compliant"),
        Violation => new("Vi phạm", "Violation"),
        Seized => new("Tạm giữ hàng hóa", "Goods seized"),
        _ => Verdicts.Name(result),
    };
}
