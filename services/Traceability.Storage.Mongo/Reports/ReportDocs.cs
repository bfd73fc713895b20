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
    /// <summary>The staff member's id handling the report.</summary>
    public string? Assignee { get; set; }
    public string? Outcome { get; set; }

    public static ReportDoc From(ConsumerReport r) => new()
    {
        Id = r.Id, CreatedAt = TimeDoc.From(r.CreatedAt), UpdatedAt = TimeDoc.From(r.UpdatedAt), Code = r.Code, LotKey = r.LotKey,
        Category = r.Category, Message = r.Message, ProtectedContact = r.ProtectedContact, Status = r.Status,
        Assignee = r.Assignee, Outcome = r.Outcome,
    };

    public ConsumerReport ToRecord() => new(Id, CreatedAt.ToDateTimeOffset(), Code, LotKey, Category, Message, ProtectedContact,
        Status, UpdatedAt.ToDateTimeOffset(), Assignee, Outcome);
}

/// <summary>One internal note on a report (collection <c>reportNotes</c>).</summary>
public sealed class ReportNoteDoc
{
    public string Id { get; set; } = "";
    public string ReportId { get; set; } = "";
    public TimeDoc At { get; set; } = new();
    public string Author { get; set; } = "";
    public string Text { get; set; } = "";

    public static ReportNoteDoc From(ReportNote n) => new() { Id = n.Id, ReportId = n.ReportId, At = TimeDoc.From(n.At), Author = n.Author, Text = n.Text };

    public ReportNote ToRecord() => new(Id, ReportId, At.ToDateTimeOffset(), Author, Text);
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
    /// <summary>When staff published the outcome on /canh-bao; absent when not published.</summary>
    public TimeDoc? PublishedAt { get; set; }
    public string? Place { get; set; }

    public static InspectionDoc From(Inspection i) => new()
    {
        Id = i.Id, InspectorId = i.InspectorId, CreatedAt = TimeDoc.From(i.CreatedAt), InspectedAt = TimeDoc.From(i.InspectedAt),
        Code = i.Code, LotKey = i.LotKey, Result = i.Result, Notes = i.Notes, Latitude = i.Latitude, Longitude = i.Longitude,
        ClientRef = i.ClientRef, PhotoContentType = i.PhotoContentType, PublishedAt = i.PublishedAt is { } p ? TimeDoc.From(p) : null, Place = i.Place,
    };

    public Inspection ToRecord() => new(Id, InspectorId, CreatedAt.ToDateTimeOffset(), InspectedAt.ToDateTimeOffset(), Code, LotKey,
        Result, Notes, Latitude, Longitude, ClientRef, PhotoContentType, PublishedAt?.ToDateTimeOffset(), Place);
}

/// <summary>Photo evidence, apart from the inspection so listings never load the bytes (≤ 16 MB BSON limit; the API caps photos at 5 MB).</summary>
public sealed class InspectionPhotoDoc
{
    public string Id { get; set; } = "";
    public string ContentType { get; set; } = "";
    public byte[] Data { get; set; } = [];
}
