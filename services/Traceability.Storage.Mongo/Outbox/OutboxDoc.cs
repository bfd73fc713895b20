namespace Traceability.Storage.Mongo.Documents;

/// <summary>
/// The outbox state carried inside the entity document it announces (product, lot, event), so
/// writing the entity and its outbox row is one single-document write. (Kind, Key) of the row are
/// the document's collection and _id.
/// </summary>
public sealed class OutboxDoc
{
    public OutboxState State { get; set; }
    public int Attempts { get; set; }
    public TimeDoc CreatedAt { get; set; } = new();
    public TimeDoc NextAttemptAt { get; set; } = new();
    public TimeDoc? LeaseUntil { get; set; }
    public string? LeaseOwner { get; set; }
    public string? LastError { get; set; }
    public string? PortalId { get; set; }
    public string? TraceParent { get; set; }
    public OutboxKind? DependsOnKind { get; set; }
    public string? DependsOnKey { get; set; }

    public static OutboxDoc Pending(OutboxMessage message, DateTimeOffset at) => new()
    {
        State = OutboxState.Pending,
        CreatedAt = TimeDoc.From(at),
        NextAttemptAt = TimeDoc.From(at),
        TraceParent = message.TraceParent,
        DependsOnKind = message.DependsOnKind,
        DependsOnKey = message.DependsOnKey,
    };

    public OutboxRow ToRow(OutboxKind kind, string key) => new(
        OutboxIds.Format(kind, key), kind, key, State, Attempts, CreatedAt.ToDateTimeOffset(),
        NextAttemptAt.ToDateTimeOffset(), LeaseUntil?.ToDateTimeOffset(), LeaseOwner, LastError, PortalId,
        TraceParent, DependsOnKind, DependsOnKey);
}

/// <summary>A document that may carry an outbox row (products, lots, events).</summary>
public interface IOutboxHost
{
    string Id { get; }
    OutboxDoc? Outbox { get; }
}
