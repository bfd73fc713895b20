namespace Traceability.Storage;

/// <summary>
/// A webhook subscription to a named query (EPCIS 2.0 REST binding <c>/queries/{name}/subscriptions</c>):
/// matching events are posted to <see cref="Destination"/> as they are recorded. The cursor is the
/// event store's page token after the last event delivered; it moves only after the destination
/// answered 2xx, so a crash re-sends at most the batch in flight and never skips one. Until the
/// first delivery, events recorded from <see cref="Since"/> on are sent.
/// <see cref="ProtectedSignatureToken"/> is the client's signing secret, encrypted with the host's
/// Data Protection keys (it must be read back to sign, so it cannot be hashed).
/// <see cref="Schedule"/> (the binding's schedule object as JSON) makes it a scheduled subscription:
/// it is due at <see cref="NextAttemptAt"/>, its next scheduled time; without one it streams.
/// </summary>
public sealed record Subscription(
    string Id, string Owner, string QueryName, string Destination, string? ProtectedSignatureToken, bool ReportIfEmpty,
    DateTimeOffset CreatedAt, DateTimeOffset Since, string? Cursor = null, DateTimeOffset? LastDeliveryAt = null,
    string? LastError = null, int Failures = 0, DateTimeOffset? NextAttemptAt = null, string? Schedule = null);

public interface ISubscriptionStore
{
    Task AddSubscriptionAsync(Subscription subscription, CancellationToken ct = default);

    Task<Subscription?> GetSubscriptionAsync(string id, CancellationToken ct = default);

    /// <summary>The owner's subscriptions to one query, oldest first.</summary>
    Task<IReadOnlyList<Subscription>> ListSubscriptionsAsync(string owner, string queryName, CancellationToken ct = default);

    /// <summary>Every subscription due at <paramref name="now"/> (no attempt scheduled later), for the delivery worker.</summary>
    Task<IReadOnlyList<Subscription>> ListDueSubscriptionsAsync(DateTimeOffset now, int max, CancellationToken ct = default);

    Task<bool> DeleteSubscriptionAsync(string owner, string id, CancellationToken ct = default);

    /// <summary>
    /// Takes the subscription for one delivery round until <paramref name="until"/>, unless another
    /// host holds it: with several hosts, one delivers each batch.
    /// </summary>
    Task<bool> TryLeaseSubscriptionAsync(string id, string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken ct = default);

    /// <summary>Records a round's outcome (cursor, error, backoff) and releases the lease.</summary>
    Task RecordDeliveryAsync(string id, string? cursor, DateTimeOffset? deliveredAt, string? error, int failures,
        DateTimeOffset? nextAttemptAt, CancellationToken ct = default);
}
