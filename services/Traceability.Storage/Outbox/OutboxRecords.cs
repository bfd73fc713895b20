namespace Traceability.Storage;

// Plain data shared by every provider: providers map it to their rows/documents, services to API DTOs.
// Identifiers are normalised before they get here (GTIN in 14 digits, CBV terms in their short form).

public enum OutboxKind { Product, Lot, Event, Recall }

public enum OutboxState { Pending, InFlight, Synced, Failed }

/// <summary>
/// A row announcing that an entity must reach the national portal. Key is the entity's natural key
/// (GTIN, LotKey, eventID, recall id); DependsOn names the parent row that must be synced first.
/// </summary>
public sealed record OutboxRow(
    string Id,
    OutboxKind Kind,
    string Key,
    OutboxState State,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? LeaseUntil,
    string? LeaseOwner,
    string? LastError,
    string? PortalId,
    string? TraceParent,
    OutboxKind? DependsOnKind,
    string? DependsOnKey);

/// <summary>What a write asks to be announced: written in the same transaction as the entity.</summary>
public sealed record OutboxMessage(OutboxKind Kind, string Key, OutboxKind? DependsOnKind, string? DependsOnKey, string? TraceParent);

/// <summary>
/// What became of one leased row, for <see cref="IOutboxStore.RecordOutcomesAsync"/>: Synced with the
/// portal's id, Failed with the portal's reason, or released (Pending) until RetryAt.
/// </summary>
public sealed record OutboxOutcome(string Id, OutboxState State, string? PortalId, string? Error, DateTimeOffset? RetryAt)
{
    public static OutboxOutcome Synced(string id, string portalId) => new(id, OutboxState.Synced, portalId, null, null);
    public static OutboxOutcome Failed(string id, string error) => new(id, OutboxState.Failed, null, error, null);
    public static OutboxOutcome Released(string id, DateTimeOffset retryAt, string? error) => new(id, OutboxState.Pending, null, error, retryAt);
}

public sealed record OutboxStatus(long Pending, long InFlight, long Synced, long Failed, double OldestPendingSeconds);
