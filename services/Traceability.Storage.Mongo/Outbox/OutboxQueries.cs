namespace Traceability.Storage.Mongo.Queries;

/// <summary>Element paths of the embedded outbox (the host classes share them; a test resolves each one through the class maps).</summary>
public static class OutboxFields
{
    public const string Root = "outbox";
    public const string State = "outbox.state";
    public const string Attempts = "outbox.attempts";
    public const string CreatedAt = "outbox.createdAt";
    public const string CreatedTicks = "outbox.createdAt.ticks";
    public const string NextAttemptAt = "outbox.nextAttemptAt";
    public const string NextAttemptTicks = "outbox.nextAttemptAt.ticks";
    public const string LeaseUntil = "outbox.leaseUntil";
    public const string LeaseUntilTicks = "outbox.leaseUntil.ticks";
    public const string LeaseOwner = "outbox.leaseOwner";
    public const string LastError = "outbox.lastError";
    public const string PortalId = "outbox.portalId";
    public const string TraceParent = "outbox.traceParent";
    public const string DependsOnKind = "outbox.dependsOnKind";
    public const string DependsOnKey = "outbox.dependsOnKey";
}

/// <summary>
/// Filters and updates of the outbox, for any document that hosts an outbox row. Paths are given
/// as strings (the host type is generic), and a string path does not pick up the class map's
/// enum-as-string serializer: enum values are written as their names explicitly (the rendering
/// tests caught the numbers that went out otherwise).
/// </summary>
public static class OutboxQueries<T> where T : IOutboxHost
{
    internal static string Name(OutboxState state) => state.ToString();

    private static FilterDefinitionBuilder<T> F => Builders<T>.Filter;
    private static UpdateDefinitionBuilder<T> U => Builders<T>.Update;

    /// <summary>Pending and due, or InFlight with a lease that has run out (a crashed or stuck worker).</summary>
    public static FilterDefinition<T> Claimable(DateTimeOffset now) => F.Or(
        F.Eq(OutboxFields.State, Name(OutboxState.Pending)) & F.Lte(OutboxFields.NextAttemptTicks, now.UtcTicks),
        F.Eq(OutboxFields.State, Name(OutboxState.InFlight)) & F.Lte(OutboxFields.LeaseUntilTicks, now.UtcTicks));

    /// <summary>Claiming one row: the claimable condition is re-checked atomically by findAndModify.</summary>
    public static FilterDefinition<T> ClaimOne(string id, DateTimeOffset now) => F.Eq(x => x.Id, id) & Claimable(now);

    public static UpdateDefinition<T> Claim(string owner, DateTimeOffset leaseUntil) => U
        .Set(OutboxFields.State, Name(OutboxState.InFlight))
        .Set(OutboxFields.LeaseOwner, owner)
        .Set(OutboxFields.LeaseUntil, TimeDoc.From(leaseUntil));

    /// <summary>What the outbox operations read of a host document: never the (possibly large) entity itself.</summary>
    public static ProjectionDefinition<T> IdAndOutbox { get; } = Builders<T>.Projection.Include(x => x.Id).Include(OutboxFields.Root);

    public static SortDefinition<T> Oldest { get; } = Builders<T>.Sort.Ascending(OutboxFields.CreatedTicks).Ascending(x => x.Id);

    /// <summary>The caller still holds the lease: InFlight and leased to it (a re-lease by another owner loses it).</summary>
    public static FilterDefinition<T> HeldBy(string id, string owner) =>
        F.Eq(x => x.Id, id) & F.Eq(OutboxFields.State, Name(OutboxState.InFlight)) & F.Eq(OutboxFields.LeaseOwner, owner);

    public static UpdateDefinition<T> Synced(string portalId) => U
        .Set(OutboxFields.State, Name(OutboxState.Synced))
        .Set(OutboxFields.PortalId, portalId)
        .Set(OutboxFields.LastError, (string?)null)
        .Set(OutboxFields.LeaseUntil, (TimeDoc?)null)
        .Set(OutboxFields.LeaseOwner, (string?)null);

    public static UpdateDefinition<T> Released(DateTimeOffset retryAt, string? error) => U
        .Set(OutboxFields.State, Name(OutboxState.Pending))
        .Set(OutboxFields.NextAttemptAt, TimeDoc.From(retryAt))
        .Inc(OutboxFields.Attempts, 1)
        .Set(OutboxFields.LastError, error)
        .Set(OutboxFields.LeaseUntil, (TimeDoc?)null)
        .Set(OutboxFields.LeaseOwner, (string?)null);

    public static UpdateDefinition<T> Failed(string error) => U
        .Set(OutboxFields.State, Name(OutboxState.Failed))
        .Inc(OutboxFields.Attempts, 1)
        .Set(OutboxFields.LastError, error)
        .Set(OutboxFields.LeaseUntil, (TimeDoc?)null)
        .Set(OutboxFields.LeaseOwner, (string?)null);

    public static FilterDefinition<T> FailedOne(string id) => F.Eq(x => x.Id, id) & F.Eq(OutboxFields.State, Name(OutboxState.Failed));

    public static UpdateDefinition<T> Retried(DateTimeOffset now) => U
        .Set(OutboxFields.State, Name(OutboxState.Pending))
        .Set(OutboxFields.NextAttemptAt, TimeDoc.From(now))
        .Set(OutboxFields.LeaseUntil, (TimeDoc?)null)
        .Set(OutboxFields.LeaseOwner, (string?)null);

    public static FilterDefinition<T> InState(OutboxState state) => F.Eq(OutboxFields.State, Name(state));

    public static FilterDefinition<T> HasRow(string id) => F.Eq(x => x.Id, id) & F.Ne(OutboxFields.Root, BsonNull.Value);

    public static FilterDefinition<T> WithoutRow(string id) => F.Eq(x => x.Id, id) & F.Eq(OutboxFields.Root, BsonNull.Value);

    public static UpdateDefinition<T> Announce(OutboxDoc row) => U.Set(OutboxFields.Root, row);

    public static FilterDefinition<T> IsSynced(string id) => F.Eq(x => x.Id, id) & F.Eq(OutboxFields.State, Name(OutboxState.Synced));

    /// <summary>Counts per state and the oldest pending row, in one pass per collection.</summary>
    public static PipelineDefinition<T, BsonDocument> Status { get; } = new BsonDocument[]
    {
        new("$match", new BsonDocument(OutboxFields.Root, new BsonDocument("$ne", BsonNull.Value))),
        new("$group", new BsonDocument
        {
            { "_id", "$" + OutboxFields.State },
            { "count", new BsonDocument("$sum", 1) },
            { "oldestTicks", new BsonDocument("$min", "$" + OutboxFields.CreatedTicks) },
        }),
    };

    /// <summary>Rows created in [from, to) by state: a range on the creation time, which the Oldest index starts with.</summary>
    public static PipelineDefinition<T, BsonDocument> CreatedByState(long fromTicks, long toTicks) => new BsonDocument[]
    {
        new("$match", new BsonDocument(OutboxFields.CreatedTicks, new BsonDocument { { "$gte", fromTicks }, { "$lt", toTicks } })),
        new("$group", new BsonDocument { { "_id", "$" + OutboxFields.State }, { "count", new BsonDocument("$sum", 1) } }),
    };
}
