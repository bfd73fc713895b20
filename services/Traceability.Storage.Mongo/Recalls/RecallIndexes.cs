namespace Traceability.Storage.Mongo.Setup;

/// <summary>Indexes of the recall and verification collections (created at start with the others).</summary>
public static class RecallIndexes
{
    public static IReadOnlyList<CreateIndexModel<RecallDoc>> Recalls { get; } =
    [
        new(Builders<RecallDoc>.IndexKeys.Ascending(x => x.LiftedAt).Descending(x => x.IssuedAt.Ticks), new() { Name = "active_issuedAt" }),
        // The history (every recall, newest first).
        new(Builders<RecallDoc>.IndexKeys.Descending(x => x.IssuedAt.Ticks), new() { Name = "issuedAt" }),
    ];

    public static IReadOnlyList<CreateIndexModel<RecallLotDoc>> RecallLots { get; } =
    [
        new(Builders<RecallLotDoc>.IndexKeys.Ascending(x => x.LotKey).Ascending(x => x.Active), new() { Name = "lotKey_active" }),
        new(Builders<RecallLotDoc>.IndexKeys.Ascending(OutboxFields.State).Ascending(OutboxFields.NextAttemptTicks).Ascending(OutboxFields.LeaseUntilTicks),
            new() { Name = Indexes.OutboxLease }),
        Indexes.OutboxCreatedIndex<RecallLotDoc>(),
    ];

    // Serials: the _id (`{lotKey}/21/{serial}`) is the lookup; (gtin, lot) counts a lot's labels.
    public static IReadOnlyList<CreateIndexModel<SerialDoc>> Serials { get; } =
    [
        new(Builders<SerialDoc>.IndexKeys.Ascending(x => x.Gtin).Ascending(x => x.Lot), new() { Name = "gtin_lot" }),
    ];
}
