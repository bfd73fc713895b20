namespace Traceability.Storage.Mongo.Documents;

public sealed class EventKeyDoc
{
    public string Value { get; set; } = "";
    public EventKeyRole Role { get; set; }
}

/// <summary>
/// One EPCIS event. _id is the eventID (idempotency); lotKey is the event's primary lot, the
/// shard key (hashed) so that a lot's history sits on one shard. The outbox row rides along, so a
/// captured event and its announcement are one document.
/// </summary>
public sealed class EventDoc : IOutboxHost
{
    public string Id { get; set; } = "";
    public string LotKey { get; set; } = "";
    public string ProducerId { get; set; } = "";
    public string EventType { get; set; } = "";
    public TimeDoc EventTime { get; set; } = new();
    public TimeDoc RecordTime { get; set; } = new();
    public string? Action { get; set; }
    public string? BizStep { get; set; }
    public string? Disposition { get; set; }
    public string? ReadPoint { get; set; }
    public string? BizLocation { get; set; }
    public string Json { get; set; } = "";
    public List<EventKeyDoc> Keys { get; set; } = [];
    public string? CaptureId { get; set; }
    public OutboxDoc? Outbox { get; set; }
    /// <summary>The event's error declaration, beside the original (json stays as first captured); absent without one.</summary>
    public DeclarationDoc? Declaration { get; set; }

    private static readonly EventKeyRole[] LotRoles = [EventKeyRole.Lot, EventKeyRole.OutputLot, EventKeyRole.InputLot];

    /// <summary>
    /// The shard key: the first lot the event is about (own lot, then output, then input lot), or
    /// the eventID when it names no lot. A function of the event alone, so a resent event always
    /// lands on the same shard (where _id uniqueness catches it).
    /// </summary>
    public static string PrimaryLotKey(StoredEvent e)
    {
        foreach (var role in LotRoles)
        {
            foreach (var key in e.Keys)
            {
                if (key.Role == role) return key.Value;
            }
        }
        return e.EventId;
    }

    public static EventDoc From(StoredEvent e, OutboxDoc? outbox) => new()
    {
        Id = e.EventId, LotKey = PrimaryLotKey(e), ProducerId = e.ProducerId, EventType = e.EventType,
        EventTime = TimeDoc.From(e.EventTime), RecordTime = TimeDoc.From(e.RecordTime), Action = e.Action,
        BizStep = e.BizStep, Disposition = e.Disposition, ReadPoint = e.ReadPoint, BizLocation = e.BizLocation,
        Json = e.Json, Keys = [.. e.Keys.Select(k => new EventKeyDoc { Value = k.Value, Role = k.Role })],
        CaptureId = e.CaptureId, Outbox = outbox,
    };

    public StoredEvent ToRecord() => new(
        Id, ProducerId, EventType, EventTime.ToDateTimeOffset(), RecordTime.ToDateTimeOffset(), Action, BizStep,
        Disposition, ReadPoint, BizLocation, Declaration is { } d ? ErrorDeclarations.Declared(Json, d.Json) : Json,
        [.. Keys.Select(k => new EventKey(k.Value, k.Role))], CaptureId);
}

/// <summary>An error declaration (EPCIS 2.0 §7.4.1.5), kept inside the event document it declares.</summary>
public sealed class DeclarationDoc
{
    public string ProducerId { get; set; } = "";
    public TimeDoc DeclarationTime { get; set; } = new();
    public string? Reason { get; set; }
    public List<string> CorrectiveEventIds { get; set; } = [];
    public string ErrorDeclaration { get; set; } = "";
    public string Json { get; set; } = "";
    public TimeDoc RecordTime { get; set; } = new();
    public string? CaptureId { get; set; }

    public static DeclarationDoc From(StoredDeclaration d) => new()
    {
        ProducerId = d.ProducerId, DeclarationTime = TimeDoc.From(d.DeclarationTime), Reason = d.Reason,
        CorrectiveEventIds = [.. d.CorrectiveEventIds], ErrorDeclaration = d.ErrorDeclaration, Json = d.Json,
        RecordTime = TimeDoc.From(d.RecordTime), CaptureId = d.CaptureId,
    };
}

public sealed class CaptureJobDoc
{
    public string Id { get; set; } = "";
    public string ProducerId { get; set; } = "";
    public bool Running { get; set; }
    public bool Success { get; set; }
    public TimeDoc CreatedAt { get; set; } = new();
    public TimeDoc? FinishedAt { get; set; }
    public List<string> Errors { get; set; } = [];
    public int EventCount { get; set; }
    public int DuplicateCount { get; set; }
    public string ErrorBehaviour { get; set; } = CaptureJob.Rollback;

    public static CaptureJobDoc From(CaptureJob j) => new()
    {
        Id = j.CaptureId, ProducerId = j.ProducerId, Running = j.Running, Success = j.Success,
        CreatedAt = TimeDoc.From(j.CreatedAt), FinishedAt = TimeDoc.From(j.FinishedAt), Errors = [.. j.Errors],
        EventCount = j.EventCount, DuplicateCount = j.DuplicateCount, ErrorBehaviour = j.ErrorBehaviour,
    };

    public CaptureJob ToRecord() => new(
        Id, ProducerId, Running, Success, CreatedAt.ToDateTimeOffset(), FinishedAt?.ToDateTimeOffset(), Errors,
        EventCount, DuplicateCount, ErrorBehaviour);
}
