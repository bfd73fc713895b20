namespace Traceability.Storage.Mongo.Documents;

public sealed class ProducerDoc
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string TaxCode { get; set; } = "";
    public string Address { get; set; } = "";
    public string Province { get; set; } = "";
    public string? Gln { get; set; }
    public List<string> CompanyPrefixes { get; set; } = [];
    public TimeDoc CreatedAt { get; set; } = new();
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public bool Suspended { get; set; }
    public string? PublicPhone { get; set; }
    public string? Website { get; set; }

    public static ProducerDoc From(Producer p) => new()
    {
        Id = p.Id, Name = p.Name, TaxCode = p.TaxCode, Address = p.Address, Province = p.Province, Gln = p.Gln,
        CompanyPrefixes = [.. p.CompanyPrefixes], CreatedAt = TimeDoc.From(p.CreatedAt), Phone = p.Phone,
        Email = p.Email, Suspended = p.Suspended, PublicPhone = p.PublicPhone, Website = p.Website,
    };

    public Producer ToRecord() => new(
        Id, Name, TaxCode, Address, Province, Gln, CompanyPrefixes, CreatedAt.ToDateTimeOffset(), Phone, Email, Suspended, PublicPhone, Website);
}

public sealed class InspectorDoc
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Agency { get; set; } = "";
    public TimeDoc CreatedAt { get; set; } = new();

    public static InspectorDoc From(Inspector i) =>
        new() { Id = i.Id, Name = i.Name, Agency = i.Agency, CreatedAt = TimeDoc.From(i.CreatedAt) };

    public Inspector ToRecord() => new(Id, Name, Agency, CreatedAt.ToDateTimeOffset());
}

public sealed class ApiKeyDoc
{
    public string Id { get; set; } = "";
    public byte[] Salt { get; set; } = [];
    public byte[] Hash { get; set; } = [];
    public Role Role { get; set; }
    public string? ProducerId { get; set; }
    public string? InspectorId { get; set; }
    public TimeDoc CreatedAt { get; set; } = new();
    public TimeDoc? RevokedAt { get; set; }
    public string? StaffId { get; set; }

    public static ApiKeyDoc From(ApiKeyRecord k) => new()
    {
        Id = k.KeyId, Salt = k.Salt, Hash = k.Hash, Role = k.Role, ProducerId = k.ProducerId,
        InspectorId = k.InspectorId, CreatedAt = TimeDoc.From(k.CreatedAt), RevokedAt = TimeDoc.From(k.RevokedAt), StaffId = k.StaffId,
    };

    public ApiKeyRecord ToRecord() => new(
        Id, Salt, Hash, Role, ProducerId, InspectorId, CreatedAt.ToDateTimeOffset(), RevokedAt?.ToDateTimeOffset(), StaffId);
}

/// <summary>A named staff account of the authority (collection staff, _id = staff id).</summary>
public sealed class StaffDoc
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Unit { get; set; } = "";
    public string Role { get; set; } = "";
    public TimeDoc CreatedAt { get; set; } = new();
    public string CreatedBy { get; set; } = "";
    public TimeDoc? RevokedAt { get; set; }

    public static StaffDoc From(StaffAccount s) => new()
    {
        Id = s.Id, Name = s.Name, Unit = s.Unit, Role = s.Role, CreatedAt = TimeDoc.From(s.CreatedAt), CreatedBy = s.CreatedBy,
        RevokedAt = TimeDoc.From(s.RevokedAt),
    };

    public StaffAccount ToRecord() => new(Id, Name, Unit, Role, CreatedAt.ToDateTimeOffset(), CreatedBy, RevokedAt?.ToDateTimeOffset());
}
