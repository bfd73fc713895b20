namespace Traceability.Storage.Mongo.Documents;

public sealed class LocalizedTextDoc
{
    public string Vi { get; set; } = "";
    public string? En { get; set; }

    public static LocalizedTextDoc? From(LocalizedText? t) => t is null ? null : new() { Vi = t.Vi, En = t.En };
    public LocalizedText ToRecord() => new(Vi, En);
}

/// <summary>A certificate inside its product's document (a product has a handful at most).</summary>
public sealed class CertificateDoc
{
    public string Standard { get; set; } = "";
    public string? Number { get; set; }
    public string? Issuer { get; set; }
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }

    public static List<CertificateDoc> From(IReadOnlyList<Certificate> list) =>
        [.. list.Select(c => new CertificateDoc { Standard = c.Standard, Number = c.Number, Issuer = c.Issuer, ValidFrom = c.ValidFrom, ValidTo = c.ValidTo })];

    public Certificate ToRecord() => new(Standard, Number, Issuer, ValidFrom, ValidTo);
}

/// <summary>_id is the 14-digit GTIN (the natural key, unique by construction).</summary>
public sealed class ProductDoc : IOutboxHost
{
    public string Id { get; set; } = "";
    public string ProducerId { get; set; } = "";
    public LocalizedTextDoc Name { get; set; } = new();
    public string? Brand { get; set; }
    public string? ImageUrl { get; set; }
    public string? Category { get; set; }
    public LocalizedTextDoc? Description { get; set; }
    public List<string> Standards { get; set; } = [];
    public List<CertificateDoc> Certificates { get; set; } = [];
    public string? Unit { get; set; }
    public TimeDoc CreatedAt { get; set; } = new();
    public TimeDoc UpdatedAt { get; set; } = new();
    public OutboxDoc? Outbox { get; set; }

    public static ProductDoc From(Product p, OutboxDoc? outbox) => new()
    {
        Id = p.Gtin, ProducerId = p.ProducerId, Name = LocalizedTextDoc.From(p.Name)!, Brand = p.Brand,
        ImageUrl = p.ImageUrl, Category = p.Category, Description = LocalizedTextDoc.From(p.Description),
        Standards = [.. p.Standards], Certificates = CertificateDoc.From(p.Certificates), Unit = p.Unit, CreatedAt = TimeDoc.From(p.CreatedAt),
        UpdatedAt = TimeDoc.From(p.UpdatedAt), Outbox = outbox,
    };

    public Product ToRecord() => new(
        Id, ProducerId, Name.ToRecord(), Brand, ImageUrl, Category, Description?.ToRecord(), Standards, Unit,
        CreatedAt.ToDateTimeOffset(), UpdatedAt.ToDateTimeOffset())
    {
        Certificates = [.. Certificates.Select(c => c.ToRecord())],
    };
}

/// <summary>_id is "{producerId}/{code}": locations are producer-scoped by code.</summary>
public sealed class LocationDoc
{
    public string Id { get; set; } = "";
    public string ProducerId { get; set; } = "";
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public string? Address { get; set; }
    public string? Province { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public string? Gln { get; set; }
    public TimeDoc CreatedAt { get; set; } = new();

    public static string IdOf(string producerId, string code) => $"{producerId}/{code}";

    public static LocationDoc From(Location l) => new()
    {
        Id = IdOf(l.ProducerId, l.Code), ProducerId = l.ProducerId, Code = l.Code, Name = l.Name, Kind = l.Kind,
        Address = l.Address, Province = l.Province, Latitude = l.Latitude, Longitude = l.Longitude, Gln = l.Gln,
        CreatedAt = TimeDoc.From(l.CreatedAt),
    };

    public Location ToRecord() => new(
        ProducerId, Code, Name, Kind, Address, Province, Latitude, Longitude, Gln, CreatedAt.ToDateTimeOffset());
}

/// <summary>_id is the lot key `01/{gtin14}/10/{lot}`; gtin and lot are kept for the unique index and sharding.</summary>
public sealed class LotDoc : IOutboxHost
{
    public string Id { get; set; } = "";
    public string Gtin { get; set; } = "";
    public string Lot { get; set; } = "";
    public string ProducerId { get; set; } = "";
    public DateOnly? ProductionDate { get; set; }
    public DateOnly? ExpiryDate { get; set; }
    public decimal? Quantity { get; set; }
    public string? Uom { get; set; }
    public string? OriginLocation { get; set; }
    public TimeDoc CreatedAt { get; set; } = new();
    public OutboxDoc? Outbox { get; set; }

    public static LotDoc From(Lot l, OutboxDoc? outbox) => new()
    {
        Id = l.Key, Gtin = l.Gtin, Lot = l.LotNumber, ProducerId = l.ProducerId, ProductionDate = l.ProductionDate,
        ExpiryDate = l.ExpiryDate, Quantity = l.Quantity, Uom = l.Uom, OriginLocation = l.OriginLocation,
        CreatedAt = TimeDoc.From(l.CreatedAt), Outbox = outbox,
    };

    public Lot ToRecord() => new(
        Gtin, Lot, ProducerId, ProductionDate, ExpiryDate, Quantity, Uom, OriginLocation, CreatedAt.ToDateTimeOffset());
}
