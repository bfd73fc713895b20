namespace Traceability.Storage.Mongo;

/// <summary>
/// The mechanics under every MongoDB feature store (MongoCatalogStore, MongoEventStore, …; DESIGN.md §2):
/// the client, the database with a durable write concern, each collection, the collections public
/// reads go to (secondaries when configured), the transaction helper and the duplicate-key test.
/// Needs a replica set (or a sharded cluster): the few writes that must span documents use transactions.
/// The feature stores hold no state of their own: one instance of this per database, shared by all of them.
/// </summary>
public sealed class MongoDatabaseContext
{
    /// <summary>Acknowledged by a majority of the replica set and written to its journal: survives a failover.</summary>
    public static readonly WriteConcern Durable = new(WriteConcern.WValue.Parse("majority"), journal: true);

    private static readonly TransactionOptions TransactionOptions =
        new(ReadConcern.Snapshot, ReadPreference.Primary, Durable);

    private readonly IMongoClient client;

    /// <param name="time">The clock that stamps outbox rows (created, due); the system clock when null.</param>
    public MongoDatabaseContext(IMongoClient client, IOptions<MongoStoreOptions> options, TimeProvider? time = null)
    {
        DocumentMappings.Register();
        this.client = client;
        Time = time ?? TimeProvider.System;
        var o = options.Value;
        Database = client.GetDatabase(o.Database).WithWriteConcern(Durable).WithReadConcern(ReadConcern.Majority);
        Producers = Database.GetCollection<ProducerDoc>(Collections.Producers);
        Inspectors = Database.GetCollection<InspectorDoc>(Collections.Inspectors);
        ApiKeys = Database.GetCollection<ApiKeyDoc>(Collections.ApiKeys);
        Products = Database.GetCollection<ProductDoc>(Collections.Products);
        Locations = Database.GetCollection<LocationDoc>(Collections.Locations);
        Lots = Database.GetCollection<LotDoc>(Collections.Lots);
        Events = Database.GetCollection<EventDoc>(Collections.Events);
        CaptureJobs = Database.GetCollection<CaptureJobDoc>(Collections.CaptureJobs);
        Reports = Database.GetCollection<ReportDoc>(Collections.Reports);
        Inspections = Database.GetCollection<InspectionDoc>(Collections.Inspections);
        RecallLots = Database.GetCollection<RecallLotDoc>(Collections.RecallLots);
        var publicRead = o.ReadFromSecondaries ? ReadPreference.SecondaryPreferred : ReadPreference.Primary;
        PublicEvents = Events.WithReadPreference(publicRead);
        PublicLocations = Locations.WithReadPreference(publicRead);
        OutboxHosts =
        [
            new OutboxHostCollection<ProductDoc>(OutboxKind.Product, Products),
            new OutboxHostCollection<LotDoc>(OutboxKind.Lot, Lots),
            new OutboxHostCollection<EventDoc>(OutboxKind.Event, Events),
            new OutboxHostCollection<RecallLotDoc>(OutboxKind.Recall, RecallLots),
        ];
    }

    public TimeProvider Time { get; }

    public IMongoDatabase Database { get; }

    // The collections more than one feature reads or writes (statistics reads most of them); a
    // feature's own collections are reached with Collection<T>(Collections.X) in its store.
    public IMongoCollection<ProducerDoc> Producers { get; }
    public IMongoCollection<InspectorDoc> Inspectors { get; }
    public IMongoCollection<ApiKeyDoc> ApiKeys { get; }
    public IMongoCollection<ProductDoc> Products { get; }
    public IMongoCollection<LocationDoc> Locations { get; }
    public IMongoCollection<LotDoc> Lots { get; }
    public IMongoCollection<EventDoc> Events { get; }
    public IMongoCollection<CaptureJobDoc> CaptureJobs { get; }
    public IMongoCollection<ReportDoc> Reports { get; }
    public IMongoCollection<InspectionDoc> Inspections { get; }
    public IMongoCollection<RecallLotDoc> RecallLots { get; }
    public IMongoCollection<AuditDoc> Audit => Collection<AuditDoc>(Collections.Audit);
    public IMongoCollection<RecallDoc> Recalls => Collection<RecallDoc>(Collections.Recalls);
    public IMongoCollection<ScanDoc> Scans => Collection<ScanDoc>(Collections.Scans);

    /// <summary>Public lookup reads; secondaryPreferred when Storage:Mongo:ReadFromSecondaries is on.</summary>
    public IMongoCollection<EventDoc> PublicEvents { get; }

    /// <inheritdoc cref="PublicEvents"/>
    public IMongoCollection<LocationDoc> PublicLocations { get; }

    /// <summary>The collections whose documents carry outbox rows, one per outbox kind.</summary>
    internal IReadOnlyList<IOutboxHostCollection> OutboxHosts { get; }

    internal IOutboxHostCollection? OutboxHost(OutboxKind kind) => OutboxHosts.FirstOrDefault(h => h.Kind == kind);

    public IMongoCollection<T> Collection<T>(string name) => Database.GetCollection<T>(name);

    /// <summary>A collection of plain BSON documents (no class map): key ring, images, change feed, lookup views, imports.</summary>
    public IMongoCollection<BsonDocument> Documents(string name) => Database.GetCollection<BsonDocument>(name);

    /// <summary>
    /// Creates the collections up front: a transaction cannot create one on a sharded cluster
    /// (captureJobs would otherwise first appear inside a capture's transaction).
    /// </summary>
    public async Task EnsureCollectionsAsync(CancellationToken ct)
    {
        var existing = (await (await Database.ListCollectionNamesAsync(cancellationToken: ct)).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        string[] all = [Collections.Producers, Collections.Inspectors, Collections.ApiKeys, Collections.Products,
            Collections.Locations, Collections.Lots, Collections.Events, Collections.CaptureJobs,
            Collections.Recalls, Collections.RecallLots, Collections.Serials, Collections.SigningKeys, Collections.Scans, Collections.ScanSalts,
            Collections.Reports, Collections.Inspections, Collections.InspectionPhotos, Collections.Audit, Collections.ReportNotes, Collections.Staff,
            Collections.NamedQueries, Collections.Subscriptions, Collections.EarlyWarningCounts, Collections.EarlyWarningAlerts, Collections.ProducerUsers];
        foreach (var name in all.Where(n => !existing.Contains(n)))
        {
            try
            {
                await Database.CreateCollectionAsync(name, cancellationToken: ct);
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
    public async Task<T> InTransactionAsync<T>(Func<IClientSessionHandle, CancellationToken, Task<T>> body, CancellationToken ct)
    {
        using var session = await client.StartSessionAsync(cancellationToken: ct);
        return await session.WithTransactionAsync(body, TransactionOptions, ct);
    }

    public static bool IsDuplicateKey(Exception ex) => ex switch
    {
        MongoWriteException w => w.WriteError?.Category == ServerErrorCategory.DuplicateKey,
        MongoBulkWriteException b => b.WriteErrors.Any(e => e.Category == ServerErrorCategory.DuplicateKey),
        MongoCommandException c => c.Code == 11000,
        _ => false,
    };
}
