namespace Traceability.Lookup.Api.Verification;

/// <summary>The scanned text; an inspector's or producer's app may add where the scan happened.</summary>
public sealed record VerifyRequest(string? Code, string? Province, double? Latitude = null, double? Longitude = null);

/// <summary>A reason behind a verdict: a stable machine code and a sentence for people, in the request's language.</summary>
public sealed record VerifyReason(string Code, string Message);

/// <summary>
/// The answer of POST /api/v1/verify. `verdictText` names the verdict in the request's language;
/// `assurance` as in the provenance JSON. `product`, `lot`, `status` when the code is registered;
/// `inspection` only for inspectors and admins.
/// </summary>
public sealed record VerifyResponse(
    string Verdict,
    string VerdictText,
    string Assurance,
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

/// <summary>The serial's or lot's scan history for an inspector: DistinctClients counts consumers, Attested the located authenticated checks.</summary>
public sealed record ScanSummary(int Total, int Last24Hours, DateTimeOffset? First, DateTimeOffset? Last, IReadOnlyList<ProvinceCount> Provinces)
{
    public int DistinctClients { get; init; }
    public int Attested { get; init; }
}

public sealed record ProvinceCount(string Province, int Count);

public sealed record ProducerContact(string Name, string TaxCode, string Address, string Province, string? Phone, string? Email);
