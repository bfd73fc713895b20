namespace Traceability.Storage.Sqlite;

public sealed class SqliteSubscriptionStore(SqliteDatabase db) : ISubscriptionStore
{
    private const string SubscriptionColumns =
        "id AS Id, owner AS Owner, query_name AS QueryName, destination AS Destination, protected_signature_token AS ProtectedSignatureToken, " +
        "report_if_empty AS ReportIfEmpty, created_at AS CreatedAt, since AS Since, cursor AS Cursor, last_delivery_at AS LastDeliveryAt, " +
        "last_error AS LastError, failures AS Failures, next_attempt_at AS NextAttemptAt, schedule AS Schedule";

    public Task AddSubscriptionAsync(Subscription s, CancellationToken ct = default) =>
        db.WriteAsync(connection => connection.Execute(
            "INSERT INTO subscriptions (id, owner, query_name, destination, protected_signature_token, report_if_empty, schedule, created_at, since, next_attempt_at) " +
            "VALUES (@Id, @Owner, @QueryName, @Destination, @ProtectedSignatureToken, @ReportIfEmpty, @Schedule, @CreatedAt, @Since, @NextAttemptAt)",
            new { s.Id, s.Owner, s.QueryName, s.Destination, s.ProtectedSignatureToken, ReportIfEmpty = s.ReportIfEmpty ? 1 : 0, s.Schedule,
                CreatedAt = Ms(s.CreatedAt), Since = Ms(s.Since), NextAttemptAt = s.NextAttemptAt is { } n ? Ms(n) : (long?)null }), ct);

    public async Task<Subscription?> GetSubscriptionAsync(string id, CancellationToken ct = default) =>
        (await SelectSubscriptionsAsync("id = @id", new { id }, ct)).FirstOrDefault();

    public Task<IReadOnlyList<Subscription>> ListSubscriptionsAsync(string owner, string queryName, CancellationToken ct = default) =>
        SelectSubscriptionsAsync("owner = @owner AND query_name = @queryName", new { owner, queryName }, ct);

    public Task<IReadOnlyList<Subscription>> ListDueSubscriptionsAsync(DateTimeOffset now, int max, CancellationToken ct = default) =>
        SelectSubscriptionsAsync("(next_attempt_at IS NULL OR next_attempt_at <= @now) AND (leased_until IS NULL OR leased_until <= @now)",
            new { now = Ms(now), max }, ct, limited: true);

    public Task<bool> DeleteSubscriptionAsync(string owner, string id, CancellationToken ct = default) =>
        db.WriteAsync(connection => connection.Execute("DELETE FROM subscriptions WHERE owner = @owner AND id = @id", new { owner, id }) == 1, ct);

    public Task<bool> TryLeaseSubscriptionAsync(string id, string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken ct = default) =>
        db.WriteAsync(connection => connection.Execute(
            "UPDATE subscriptions SET lease_holder = @holder, leased_until = @until " +
            "WHERE id = @id AND (leased_until IS NULL OR leased_until <= @now OR lease_holder = @holder)",
            new { id, holder, now = Ms(now), until = Ms(until) }) == 1, ct);

    public Task RecordDeliveryAsync(string id, string? cursor, DateTimeOffset? deliveredAt, string? error, int failures,
        DateTimeOffset? nextAttemptAt, CancellationToken ct = default) =>
        db.WriteAsync(connection => connection.Execute(
            "UPDATE subscriptions SET cursor = COALESCE(@cursor, cursor), last_delivery_at = COALESCE(@deliveredAt, last_delivery_at), " +
            "last_error = @error, failures = @failures, next_attempt_at = @nextAttemptAt, lease_holder = NULL, leased_until = NULL WHERE id = @id",
            new { id, cursor, deliveredAt = deliveredAt is { } d ? Ms(d) : (long?)null, error, failures,
                nextAttemptAt = nextAttemptAt is { } n ? Ms(n) : (long?)null }), ct);

    /// <param name="limited">parameters has <c>max</c>: at most that many.</param>
    private async Task<IReadOnlyList<Subscription>> SelectSubscriptionsAsync(string where, object parameters, CancellationToken ct, bool limited = false)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<SubscriptionRow>(new CommandDefinition(
            $"SELECT {SubscriptionColumns} FROM subscriptions WHERE {where} ORDER BY created_at, id{(limited ? " LIMIT @max" : "")}",
            parameters, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToRecord())];
    }

    private sealed class SubscriptionRow
    {
        public string Id { get; set; } = "";
        public string Owner { get; set; } = "";
        public string QueryName { get; set; } = "";
        public string Destination { get; set; } = "";
        public string? ProtectedSignatureToken { get; set; }
        public long ReportIfEmpty { get; set; }
        public long CreatedAt { get; set; }
        public long Since { get; set; }
        public string? Cursor { get; set; }
        public long? LastDeliveryAt { get; set; }
        public string? LastError { get; set; }
        public long Failures { get; set; }
        public long? NextAttemptAt { get; set; }
        public string? Schedule { get; set; }

        public Subscription ToRecord() => new(Id, Owner, QueryName, Destination, ProtectedSignatureToken, ReportIfEmpty != 0,
            FromMs(CreatedAt), FromMs(Since), Cursor, LastDeliveryAt is { } d ? FromMs(d) : null, LastError, (int)Failures,
            NextAttemptAt is { } n ? FromMs(n) : null, Schedule);
    }
}
