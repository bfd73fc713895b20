using Microsoft.Extensions.Options;
using Traceability.Storage.Mongo.Telemetry;

namespace Traceability.Storage.Mongo;

/// <summary>
/// The MongoDB provider: one class implementing every store interface (DESIGN.md §2). Needs a
/// replica set (or a sharded cluster): the few writes that must span documents use transactions.
/// Each feature lives in its own partial file (Accounts, Catalog, Events, Outbox).
/// </summary>
public sealed partial class MongoTraceStore : IAccountStore, IProducerProfileStore, ICatalogStore, IEventStore, IOutboxStore, IReportStore, IInspectionStore
{
    /// <summary>Acknowledged by a majority of the replica set and written to its journal: survives a failover.</summary>
    public static readonly WriteConcern Durable = new(WriteConcern.WValue.Parse("majority"), journal: true);

    private static readonly TransactionOptions TransactionOptions =
        new(ReadConcern.Snapshot, ReadPreference.Primary, Durable);

    private readonly IMongoClient client;
    private readonly TimeProvider time;
    private readonly IMongoCollection<ProducerDoc> producers;
    private readonly IMongoCollection<InspectorDoc> inspectors;
    private readonly IMongoCollection<ApiKeyDoc> apiKeys;
    private readonly IMongoCollection<ProductDoc> products;
    private readonly IMongoCollection<LocationDoc> locations;
    private readonly IMongoCollection<LotDoc> lots;
    private readonly IMongoCollection<EventDoc> events;
    private readonly IMongoCollection<CaptureJobDoc> captureJobs;
    // Public lookup reads; secondaryPreferred when Storage:Mongo:ReadFromSecondaries is on.
    private readonly IMongoCollection<EventDoc> publicEvents;
    private readonly IMongoCollection<LocationDoc> publicLocations;
    private readonly IReadOnlyList<IOutboxHostCollection> outboxHosts;

    /// <param name="time">The clock that stamps outbox rows (created, due); the system clock when null.</param>
    public MongoTraceStore(IMongoClient client, IOptions<MongoStoreOptions> options, TimeProvider? time = null)
    {
        DocumentMappings.Register();
        this.client = client;
        this.time = time ?? TimeProvider.System;
        var o = options.Value;
        var db = client.GetDatabase(o.Database).WithWriteConcern(Durable).WithReadConcern(ReadConcern.Majority);
        producers = db.GetCollection<ProducerDoc>(Collections.Producers);
        inspectors = db.GetCollection<InspectorDoc>(Collections.Inspectors);
        apiKeys = db.GetCollection<ApiKeyDoc>(Collections.ApiKeys);
        products = db.GetCollection<ProductDoc>(Collections.Products);
        locations = db.GetCollection<LocationDoc>(Collections.Locations);
        lots = db.GetCollection<LotDoc>(Collections.Lots);
        events = db.GetCollection<EventDoc>(Collections.Events);
        captureJobs = db.GetCollection<CaptureJobDoc>(Collections.CaptureJobs);
        reports = db.GetCollection<ReportDoc>(Collections.Reports);
        inspections = db.GetCollection<InspectionDoc>(Collections.Inspections);
        inspectionPhotos = db.GetCollection<InspectionPhotoDoc>(Collections.InspectionPhotos);
        var publicRead = o.ReadFromSecondaries ? ReadPreference.SecondaryPreferred : ReadPreference.Primary;
        publicEvents = events.WithReadPreference(publicRead);
        publicLocations = locations.WithReadPreference(publicRead);
        outboxHosts =
        [
            new OutboxHostCollection<ProductDoc>(OutboxKind.Product, products),
            new OutboxHostCollection<LotDoc>(OutboxKind.Lot, lots),
            new OutboxHostCollection<EventDoc>(OutboxKind.Event, events),
            new OutboxHostCollection<RecallLotDoc>(OutboxKind.Recall, db.GetCollection<RecallLotDoc>(Collections.RecallLots)),
        ];
    }

    /// <summary>Creates every index (idempotent); run once at start by <see cref="MongoIndexInitializer"/>.</summary>
    public async Task EnsureIndexesAsync(CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("ensure-indexes");
        await EnsureCollectionsAsync(ct);
        await producers.Indexes.CreateManyAsync(Indexes.Producers, ct);
        await apiKeys.Indexes.CreateManyAsync(Indexes.ApiKeys, ct);
        await products.Indexes.CreateManyAsync(Indexes.Products, ct);
        await locations.Indexes.CreateManyAsync(Indexes.Locations, ct);
        await lots.Indexes.CreateManyAsync(Indexes.Lots, ct);
        await events.Indexes.CreateManyAsync(Indexes.Events, ct);
        await EnsureRecallIndexesAsync(ct);
        await ScanDocs.Indexes.CreateManyAsync(ScanIndexes, ct);
        await reports.Indexes.CreateManyAsync(Indexes.Reports, ct);
        await inspections.Indexes.CreateManyAsync(Indexes.Inspections, ct);
        await ReportNotes.Indexes.CreateManyAsync(Indexes.ReportNotes, ct);
        await RenameClosedReportsAsync(ct);
        await EnsureSharedIndexesAsync(ct);
        await Audit.Indexes.CreateManyAsync(AuditIndexes, ct);
        await NamedQueries.Indexes.CreateManyAsync(NamedQueryIndexes, ct);
        await SubscriptionDocs.Indexes.CreateManyAsync(SubscriptionIndexes, ct);
        await SignalCounts.Indexes.CreateManyAsync(SignalCountIndexes, ct);
        await EarlyAlerts.Indexes.CreateManyAsync(EarlyAlertIndexes, ct);
        await ProducerUserDocs.Indexes.CreateManyAsync(ProducerUserIndexes, ct);
    }

    /// <summary>
    /// Creates the collections up front: a transaction cannot create one on a sharded cluster
    /// (captureJobs would otherwise first appear inside a capture's transaction).
    /// </summary>
    private async Task EnsureCollectionsAsync(CancellationToken ct)
    {
        var db = events.Database;
        var existing = (await (await db.ListCollectionNamesAsync(cancellationToken: ct)).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        string[] all = [Collections.Producers, Collections.Inspectors, Collections.ApiKeys, Collections.Products,
            Collections.Locations, Collections.Lots, Collections.Events, Collections.CaptureJobs,
            Collections.Recalls, Collections.RecallLots, Collections.Serials, Collections.SigningKeys, Collections.Scans, Collections.ScanSalts,
            Collections.Reports, Collections.Inspections, Collections.InspectionPhotos, Collections.Audit, Collections.ReportNotes, Collections.Staff,
            Collections.NamedQueries, Collections.Subscriptions, Collections.EarlyWarningCounts, Collections.EarlyWarningAlerts, Collections.ProducerUsers];
        foreach (var name in all.Where(n => !existing.Contains(n)))
        {
            try
            {
                await db.CreateCollectionAsync(name, cancellationToken: ct);
            }
            catch (MongoCommandException ex) when (ex.Code == 48)
            {
                // NamespaceExists: another instance created it meanwhile.
            }
        }
    }

    /// <summary>
    /// Runs the body in a multi-document transaction with the driver's WithTransactionAsync, which
    /// retries the whole body on TransientTransactionError and the commit on
    /// UnknownTransactionCommitResult (up to its 120 s budget).
    /// </summary>
    private async Task<T> InTransactionAsync<T>(Func<IClientSessionHandle, CancellationToken, Task<T>> body, CancellationToken ct)
    {
        using var session = await client.StartSessionAsync(cancellationToken: ct);
        return await session.WithTransactionAsync(body, TransactionOptions, ct);
    }

    internal static bool IsDuplicateKey(Exception ex) => ex switch
    {
        MongoWriteException w => w.WriteError?.Category == ServerErrorCategory.DuplicateKey,
        MongoBulkWriteException b => b.WriteErrors.Any(e => e.Category == ServerErrorCategory.DuplicateKey),
        MongoCommandException c => c.Code == 11000,
        _ => false,
    };
}
