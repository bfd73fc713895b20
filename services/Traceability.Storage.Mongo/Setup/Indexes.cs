namespace Traceability.Storage.Mongo.Setup;

/// <summary>
/// Every index the store relies on, per collection. Created at start with createIndexes, which is
/// idempotent for an identical definition (same keys, name and options).
/// </summary>
public static class Indexes
{
    public const string OutboxLease = "outbox_lease";

    public static IReadOnlyList<CreateIndexModel<ProducerDoc>> Producers { get; } =
    [
        new(Builders<ProducerDoc>.IndexKeys.Ascending(x => x.TaxCode), new() { Name = "taxCode_unique", Unique = true }),
    ];

    public static IReadOnlyList<CreateIndexModel<ApiKeyDoc>> ApiKeys { get; } =
    [
        new(Builders<ApiKeyDoc>.IndexKeys.Ascending(x => x.ProducerId), new() { Name = "producerId" }),
        new(Builders<ApiKeyDoc>.IndexKeys.Ascending(x => x.StaffId), new() { Name = "staffId" }),
    ];

    // The GTIN is the _id: unique without a further index.
    public static IReadOnlyList<CreateIndexModel<ProductDoc>> Products { get; } =
    [
        new(Builders<ProductDoc>.IndexKeys.Ascending(x => x.ProducerId).Ascending(x => x.CreatedAt.Ticks), new() { Name = "producerId_createdAt" }),
        OutboxIndex<ProductDoc>(),
        OutboxCreatedIndex<ProductDoc>(),
    ];

    public static IReadOnlyList<CreateIndexModel<LocationDoc>> Locations { get; } =
    [
        new(Builders<LocationDoc>.IndexKeys.Ascending(x => x.ProducerId).Ascending(x => x.Code), new() { Name = "producerId_code_unique", Unique = true }),
        new(Builders<LocationDoc>.IndexKeys.Ascending(x => x.Gln), new() { Name = "gln" }),
        new(Builders<LocationDoc>.IndexKeys.Ascending(x => x.Code), new() { Name = "code" }),
    ];

    public static IReadOnlyList<CreateIndexModel<LotDoc>> Lots { get; } =
    [
        new(Builders<LotDoc>.IndexKeys.Ascending(x => x.Gtin).Ascending(x => x.Lot), new() { Name = "gtin_lot_unique", Unique = true }),
        new(Builders<LotDoc>.IndexKeys.Ascending(x => x.ProducerId).Descending(x => x.CreatedAt.Ticks), new() { Name = "producerId_createdAt" }),
        OutboxIndex<LotDoc>(),
        OutboxCreatedIndex<LotDoc>(),
    ];

    // The eventID is the _id: unique (per shard when sharded by lot key; see ShardKeys).
    public static IReadOnlyList<CreateIndexModel<EventDoc>> Events { get; } =
    [
        new(Builders<EventDoc>.IndexKeys.Ascending(x => x.LotKey), new() { Name = "lotKey" }),
        new(Builders<EventDoc>.IndexKeys.Ascending("keys.value").Ascending("keys.role"), new() { Name = "keys_value_role" }),
        new(Builders<EventDoc>.IndexKeys.Ascending(x => x.EventTime.Ticks).Ascending(x => x.Id), new() { Name = "eventTime" }),
        new(Builders<EventDoc>.IndexKeys.Ascending(x => x.BizStep).Ascending(x => x.EventTime.Ticks), new() { Name = "bizStep_eventTime" }),
        new(Builders<EventDoc>.IndexKeys.Ascending(x => x.ProducerId).Ascending(x => x.EventTime.Ticks), new() { Name = "producerId_eventTime" }),
        // Query order (EventQueries.ByRecordTime), all events and a producer's own. They replace the
        // earlier "recordTime" index (recordTime.ticks alone), which a database created before keeps
        // until dropped by hand (db.events.dropIndex("recordTime")): createIndexes never drops.
        new(Builders<EventDoc>.IndexKeys.Ascending(x => x.RecordTime.Date).Ascending(x => x.Id), new() { Name = "recordTime_id" }),
        new(Builders<EventDoc>.IndexKeys.Ascending(x => x.ProducerId).Ascending(x => x.RecordTime.Date).Ascending(x => x.Id), new() { Name = "producerId_recordTime_id" }),
        OutboxIndex<EventDoc>(),
        OutboxCreatedIndex<EventDoc>(),
    ];

    public static IReadOnlyList<CreateIndexModel<ReportDoc>> Reports { get; } =
    [
        new(Builders<ReportDoc>.IndexKeys.Ascending(x => x.Status).Descending(x => x.CreatedAt.Ticks), new() { Name = "status_createdAt" }),
        new(Builders<ReportDoc>.IndexKeys.Descending(x => x.CreatedAt.Ticks), new() { Name = "createdAt" }),
    ];

    // Replayed offline records: one per (inspector, clientRef); records without a clientRef are not constrained.
    public static IReadOnlyList<CreateIndexModel<InspectionDoc>> Inspections { get; } =
    [
        new(Builders<InspectionDoc>.IndexKeys.Ascending(x => x.InspectorId).Ascending(x => x.ClientRef),
            new CreateIndexOptions<InspectionDoc>
            {
                Name = "inspectorId_clientRef_unique", Unique = true,
                PartialFilterExpression = Builders<InspectionDoc>.Filter.Exists(x => x.ClientRef),
            }),
        new(Builders<InspectionDoc>.IndexKeys.Descending(x => x.CreatedAt.Ticks), new() { Name = "createdAt" }),
        new(Builders<InspectionDoc>.IndexKeys.Ascending(x => x.LotKey).Descending(x => x.CreatedAt.Ticks), new() { Name = "lotKey_createdAt" }),
        new(Builders<InspectionDoc>.IndexKeys.Descending(x => x.InspectedAt.Ticks), new() { Name = "inspectedAt" }),
        // Sparse: only published outcomes carry the field (the public warnings list reads them).
        new(Builders<InspectionDoc>.IndexKeys.Descending(x => x.PublishedAt!.Ticks), new() { Name = "publishedAt", Sparse = true }),
    ];

    public static IReadOnlyList<CreateIndexModel<ReportNoteDoc>> ReportNotes { get; } =
    [
        new(Builders<ReportNoteDoc>.IndexKeys.Ascending(x => x.ReportId).Ascending(x => x.At.Ticks), new() { Name = "reportId_at" }),
    ];

    /// <summary>Serves the lease query: state equality, then the due time / lease expiry ranges.</summary>
    private static CreateIndexModel<T> OutboxIndex<T>() where T : IOutboxHost => new(
        Builders<T>.IndexKeys.Ascending(OutboxFields.State).Ascending(OutboxFields.NextAttemptTicks).Ascending(OutboxFields.LeaseUntilTicks),
        new() { Name = OutboxLease });

    /// <summary>Serves the periodic report: the rows created in a period, by state.</summary>
    internal static CreateIndexModel<T> OutboxCreatedIndex<T>() where T : IOutboxHost => new(
        Builders<T>.IndexKeys.Ascending(OutboxFields.CreatedTicks).Ascending(OutboxFields.State), new() { Name = "outbox_created" });
}
