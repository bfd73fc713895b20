using Traceability.Domain.DigitalLinks;

namespace Traceability.Ingestion.Api.Catalog;

public sealed record LocalizedName(string? Vi, string? En);

public sealed record ProductRequest(
    string? Gtin, LocalizedName? Name, string? Brand, string? ImageUrl, string? Category,
    LocalizedName? Description, IReadOnlyList<string>? Standards, string? Unit,
    IReadOnlyList<CertificateRequest?>? Certificates = null);

/// <summary>A certificate of a standard: VietGAP no. VG-TQ-0123 issued by QUACERT, valid 2025-01-15 to 2028-01-14.</summary>
public sealed record CertificateRequest(string? Standard, string? Number, string? Issuer, DateOnly? ValidFrom, DateOnly? ValidTo);

public sealed record ProductResponse(
    string Gtin, LocalizedText Name, string? Brand, string? ImageUrl, string? Category,
    LocalizedText? Description, IReadOnlyList<string> Standards, string? Unit, DateTimeOffset CreatedAt,
    IReadOnlyList<Certificate> Certificates)
{
    public static ProductResponse From(Product p) =>
        new(p.Gtin, p.Name, p.Brand, p.ImageUrl, p.Category, p.Description, p.Standards, p.Unit, p.CreatedAt, p.Certificates);
}

public sealed record LocationRequest(
    string? Code, string? Name, string? Kind, string? Address, string? Province,
    double? Latitude, double? Longitude, string? Gln);

public sealed record LocationResponse(
    string Code, string Name, string Kind, string? Address, string? Province, double? Latitude,
    double? Longitude, string? Gln, string Identifier)
{
    public static LocationResponse From(Location l) =>
        new(l.Code, l.Name, l.Kind, l.Address, l.Province, l.Latitude, l.Longitude, l.Gln, LocationIdentifier.ForEvent(l));
}

public sealed record LotRequest(
    string? Gtin, string? Lot, DateOnly? ProductionDate, DateOnly? ExpiryDate, decimal? Quantity, string? Uom,
    string? OriginLocation);

public sealed record LotResponse(
    string Gtin, string Lot, DateOnly? ProductionDate, DateOnly? ExpiryDate, decimal? Quantity, string? Uom,
    string? OriginLocation, string DigitalLink)
{
    public static LotResponse From(Lot l) =>
        new(l.Gtin, l.LotNumber, l.ProductionDate, l.ExpiryDate, l.Quantity, l.Uom, l.OriginLocation,
            new Domain.DigitalLinks.DigitalLink(Domain.Gs1.Gtin.Parse(l.Gtin), Lot: l.LotNumber).Path);
}

/// <summary>
/// How events name a location: its GLN when it has one (stored under the key <c>414/{gln}</c>,
/// written in events as <see cref="ForEvent"/>), otherwise a producer-scoped URN
/// (<c>urn:x-traceability:loc:{producerId}:{code}</c>). The API's <c>identifier</c> is the event form.
/// </summary>
public static class LocationIdentifier
{
    public const string PrivatePrefix = "urn:x-traceability:loc:";

    public static string Of(Location l) => l.Gln is { } gln ? $"414/{gln}" : $"{PrivatePrefix}{l.ProducerId}:{l.Code}";

    /// <summary>
    /// The identifier to write into an event: EPCIS wants an absolute URI, so a GLN is written as its
    /// GS1 Digital Link (<c>https://id.gs1.org/414/{gln}</c>, stored under the key <see cref="Of"/> gives).
    /// </summary>
    public static string ForEvent(Location l) => l.Gln is { } gln ? GlnPlace(gln) : Of(l);

    /// <summary>A place known only by its GLN (a partner's shop or warehouse), as an event names it.</summary>
    public static string GlnPlace(string gln) => $"{DigitalLink.CanonicalHost}/414/{gln}";
}
