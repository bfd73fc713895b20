namespace Traceability.Storage;

// Plain data shared by every provider: providers map it to their rows/documents, services to API DTOs.
// Identifiers are normalised before they get here (GTIN in 14 digits, CBV terms in their short form).

public sealed record LocalizedText(string Vi, string? En = null)
{
    public string For(string lang) => lang == "en" && !string.IsNullOrEmpty(En) ? En : Vi;
}

/// <summary>
/// Standards are the names of the standards applied (VietGAP, OCOP 4 sao, …); Certificates the
/// certificates that attest them, with number, issuer and validity (Circular 02/2024's data items).
/// </summary>
public sealed record Product(
    string Gtin, string ProducerId, LocalizedText Name, string? Brand, string? ImageUrl, string? Category,
    LocalizedText? Description, IReadOnlyList<string> Standards, string? Unit, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public IReadOnlyList<Certificate> Certificates { get; init; } = [];
}

/// <summary>A certificate of a standard, e.g. VietGAP no. VG-TQ-0123 issued by a certification body, valid to a date.</summary>
public sealed record Certificate(string Standard, string? Number, string? Issuer, DateOnly? ValidFrom, DateOnly? ValidTo);

/// <summary>Locations are producer-scoped by Code; Gln when the producer has one.</summary>
public sealed record Location(
    string ProducerId, string Code, string Name, string Kind, string? Address, string? Province,
    double? Latitude, double? Longitude, string? Gln, DateTimeOffset CreatedAt);

public sealed record Lot(
    string Gtin, string LotNumber, string ProducerId, DateOnly? ProductionDate, DateOnly? ExpiryDate,
    decimal? Quantity, string? Uom, string? OriginLocation, DateTimeOffset CreatedAt)
{
    public string Key => LotKey.Of(Gtin, LotNumber);
}

public static class LotKey
{
    /// <summary>
    /// The key of a lot everywhere in the store: the Digital Link path `01/{gtin14}/10/{lot}` with
    /// the lot percent-encoded as in the link itself, so it equals the keys the EPCIS parser derives.
    /// </summary>
    public static string Of(string gtin14, string lot) => $"01/{gtin14}/10/{Uri.EscapeDataString(lot)}";

    /// <summary>
    /// Splits a lot key (or a longer key such as a serial's, `…/21/{serial}`) into the GTIN and the
    /// lot number; false for anything else. The one parser of lot keys: nothing else takes them apart.
    /// </summary>
    public static bool TryParse(string key, out string gtin14, out string lot)
    {
        gtin14 = lot = "";
        if (key.Length < 22 || !key.StartsWith("01/", StringComparison.Ordinal) || key.AsSpan(17, 4) is not "/10/"
            || key.AsSpan(3, 14).ContainsAnyExcept(Digits))
            return false;
        gtin14 = key[3..17];
        lot = LotOf(key);
        return lot.Length > 0;
    }

    /// <summary>The GTIN-14 of a lot or product key (`01/{gtin14}…`).</summary>
    public static string GtinOf(string key) => key.Substring(3, 14);

    private static readonly System.Buffers.SearchValues<char> Digits = System.Buffers.SearchValues.Create("0123456789");

    /// <summary>The lot number of a lot key (or of a longer key such as a serial's).</summary>
    public static string LotOf(string key)
    {
        var start = key.IndexOf("/10/", StringComparison.Ordinal) + 4;
        var end = key.IndexOf('/', start);
        return Uri.UnescapeDataString(end < 0 ? key[start..] : key[start..end]);
    }
}
