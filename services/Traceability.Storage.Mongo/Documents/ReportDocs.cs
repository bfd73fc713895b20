namespace Traceability.Storage.Mongo.Documents;

/// <summary>A consumer report; the contact is the service's Data Protection payload, never clear text.</summary>
public sealed class ReportDoc
{
    public string Id { get; set; } = "";
    public TimeDoc CreatedAt { get; set; } = new();
    public TimeDoc UpdatedAt { get; set; } = new();
    public string? Code { get; set; }
    public string? LotKey { get; set; }
    public string Category { get; set; } = "";
    public string Message { get; set; } = "";
    public string? ProtectedContact { get; set; }
    public ReportStatus Status { get; set; }

    public static ReportDoc From(ConsumerReport r) => new()
    {
        Id = r.Id, CreatedAt = TimeDoc.From(r.CreatedAt), UpdatedAt = TimeDoc.From(r.UpdatedAt), Code = r.Code, LotKey = r.LotKey,
        Category = r.Category, Message = r.Message, ProtectedContact = r.ProtectedContact, Status = r.Status,
    };

    public ConsumerReport ToRecord() => new(Id, CreatedAt.ToDateTimeOffset(), Code, LotKey, Category, Message, ProtectedContact,
        Status, UpdatedAt.ToDateTimeOffset());
}

public sealed class InspectionDoc
{
    public string Id { get; set; } = "";
    public string InspectorId { get; set; } = "";
    public TimeDoc CreatedAt { get; set; } = new();
    public TimeDoc InspectedAt { get; set; } = new();
    public string Code { get; set; } = "";
    public string? LotKey { get; set; }
    public string Result { get; set; } = "";
    public string? Notes { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public string? ClientRef { get; set; }
    public string? PhotoContentType { get; set; }
    public string? Place { get; set; }

    public static InspectionDoc From(Inspection i) => new()
    {
        Id = i.Id, InspectorId = i.InspectorId, CreatedAt = TimeDoc.From(i.CreatedAt), InspectedAt = TimeDoc.From(i.InspectedAt),
        Code = i.Code, LotKey = i.LotKey, Result = i.Result, Notes = i.Notes, Latitude = i.Latitude, Longitude = i.Longitude,
        ClientRef = i.ClientRef, PhotoContentType = i.PhotoContentType, Place = i.Place,
    };

    public Inspection ToRecord() => new(Id, InspectorId, CreatedAt.ToDateTimeOffset(), InspectedAt.ToDateTimeOffset(), Code, LotKey,
        Result, Notes, Latitude, Longitude, ClientRef, PhotoContentType, Place);
}

/// <summary>Photo evidence, apart from the inspection so listings never load the bytes (≤ 16 MB BSON limit; the API caps photos at 5 MB).</summary>
public sealed class InspectionPhotoDoc
{
    public string Id { get; set; } = "";
    public string ContentType { get; set; } = "";
    public byte[] Data { get; set; } = [];
}
