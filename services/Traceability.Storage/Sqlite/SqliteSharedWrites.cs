namespace Traceability.Storage.Sqlite;

/// <summary>
/// Rows that one feature writes inside another feature's transaction: the outbox row announcing a
/// product, lot or recall (in the catalog's or the recall's write), the audit entry of an authority
/// action, an API key created with its account, and the lookup views a change makes stale. Each is
/// written in one place; the callers run inside <see cref="SqliteDatabase.WriteAsync{T}"/>.
/// </summary>
internal static class SqliteSharedWrites
{
    /// <summary>
    /// Writes the outbox row announcing a product, lot or recall, inside the caller's transaction. An
    /// existing (kind, key) row goes back to Pending (a new version to push; its portal id is kept,
    /// CreatedAt restarts so the sync lag counts from the new version). Events are announced by capture.
    /// </summary>
    public static void UpsertOutbox(SqliteConnection connection, OutboxMessage message, DateTimeOffset now)
    {
        connection.Execute(
            """
            INSERT INTO outbox (kind, key, state, attempts, created_at, updated_at, next_attempt_at, trace_parent,
                                depends_on_kind, depends_on_key)
            VALUES (@Kind, @Key, 'Pending', 0, @Now, @Now, @Now, @TraceParent, @DependsOnKind, @DependsOnKey)
            ON CONFLICT (kind, key) WHERE kind <> 'Event' DO
            UPDATE SET state = 'Pending', attempts = 0, next_attempt_at = excluded.next_attempt_at,
                created_at = excluded.created_at, updated_at = excluded.updated_at, lease_owner = NULL,
                lease_until = NULL, last_error = NULL, trace_parent = excluded.trace_parent,
                depends_on_kind = excluded.depends_on_kind, depends_on_key = excluded.depends_on_key
            """,
            new
            {
                Kind = message.Kind.ToString(), message.Key, Now = Ms(now), message.TraceParent,
                DependsOnKind = message.DependsOnKind?.ToString(), message.DependsOnKey,
            });
    }

    public static void InsertAudit(SqliteConnection connection, AuditEntry e) => connection.Execute(
        "INSERT INTO audit (id, at, actor, action, target, reason, details) VALUES (@Id, @At, @Actor, @Action, @Target, @Reason, @Details)",
        new { e.Id, At = Ms(e.At), e.Actor, e.Action, e.Target, e.Reason, e.Details });

    public static void InsertApiKey(SqliteConnection connection, ApiKeyRecord key)
    {
        try
        {
            connection.Execute(
                """
                INSERT INTO api_keys (key_id, salt, hash, role, producer_id, inspector_id, created_at, revoked_at, staff_id)
                VALUES (@KeyId, @Salt, @Hash, @Role, @ProducerId, @InspectorId, @CreatedAt, @RevokedAt, @StaffId)
                """,
                new
                {
                    key.KeyId, key.Salt, key.Hash, Role = key.Role.ToString(), key.ProducerId, key.InspectorId,
                    CreatedAt = Ms(key.CreatedAt), RevokedAt = Ms(key.RevokedAt), key.StaffId,
                });
        }
        catch (SqliteException ex) when (ex.IsUniqueViolation())
        {
            throw new DuplicateKeyException($"An API key with id '{key.KeyId}' already exists.");
        }
    }

    /// <summary>What appending these change keys deletes; runs inside the append's write.</summary>
    public static void DeleteLookupViews(SqliteConnection connection, IReadOnlyList<string> changeKeys)
    {
        if (changeKeys.Contains(ChangeKeys.All))
        {
            connection.Execute("DELETE FROM lookup_views");
            return;
        }
        foreach (var key in changeKeys)
        {
            if (ChangeKeys.ProductGtin(key) is { } gtin) connection.Execute("DELETE FROM lookup_views WHERE gtin = @gtin", new { gtin });
            else connection.Execute("DELETE FROM lookup_views WHERE key = @key", new { key });
        }
    }
}
