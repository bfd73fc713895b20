using System.Globalization;
using Traceability.Domain;

namespace Traceability.Storage.Mongo;

/// <summary>
/// The periodic report's aggregates as aggregation pipelines. Collections are not joined on the
/// server: records are grouped by producer or GTIN there, and those few groups are given their
/// province here from the producers and products they name (a handful of documents, read by id).
/// </summary>
public sealed class MongoStatisticsStore(MongoDatabaseContext db) : IStatisticsStore
{
    public async Task<StoreStatistics> GetStatisticsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        var (f, t) = (from.UtcTicks, to.UtcTicks);
        static BsonDocument Range(long from, long to) => new() { { "$gte", from }, { "$lt", to } };
        var dateRange = new BsonDocument { { "$gte", from.UtcDateTime }, { "$lt", to.UtcDateTime } };

        // Producers: grouped by province on the server (the province is on the document).
        var producers = new List<StatGroup>();
        producers.AddRange(await ByProvinceAsync(producers: new BsonDocument("createdAt.ticks", Range(f, t)), "registered", ct));
        producers.AddRange(await ByProvinceAsync(new BsonDocument("createdAt.ticks", new BsonDocument("$lt", t)), "total", ct));
        producers.AddRange(await ByProvinceAsync(new BsonDocument("suspended", true), "suspended", ct));

        var eventsByProducer = await GroupAsync(db.Events, new BsonDocument("recordTime.date", dateRange), "$producerId", ct);
        var productsByProducer = await GroupAsync(db.Products, new BsonDocument("createdAt.ticks", Range(f, t)), "$producerId", ct);
        var lotsByProducer = await GroupAsync(db.Lots, new BsonDocument("createdAt.ticks", Range(f, t)), "$producerId", ct);
        var provinceOf = await ProducerProvincesAsync([.. eventsByProducer.Keys, .. productsByProducer.Keys, .. lotsByProducer.Keys], ct);
        producers.AddRange(ToProvinces(eventsByProducer.ToDictionary(e => e.Key, _ => 1L), provinceOf, "active"));
        var catalog = ToProvinces(productsByProducer, provinceOf, "products")
            .Concat(ToProvinces(lotsByProducer, provinceOf, "lots"))
            .Concat(ToProvinces(eventsByProducer, provinceOf, "events")).ToList();

        // Scans: day numbers since 0001-01-01 in Vietnam time, straight from the stored ticks.
        var scanDays = await db.Scans.Aggregate<BsonDocument>(new BsonDocument[]
        {
            new("$match", new BsonDocument { { "time.ticks", Range(f, t) }, { "source", ScanSources.Consumer } }),
            new("$group", new BsonDocument
            {
                { "_id", new BsonDocument
                    {
                        { "province", "$province" },
                        { "unknown", new BsonDocument("$ifNull", new BsonArray { "$unknown", false }) },
                        { "day", new BsonDocument("$floor", new BsonDocument("$divide", new BsonArray
                            { new BsonDocument("$add", new BsonArray { "$time.ticks", VietnamTime.Offset.Ticks }), TimeSpan.TicksPerDay })) },
                    } },
                { "count", new BsonDocument("$sum", 1) },
            }),
        }, cancellationToken: ct).ToListAsync(ct);

        // Recalls, complaints and inspections name a product (a GTIN, or a lot key 01/{gtin14}/10/…).
        var gtinOfLotKey = new BsonDocument("$substrCP", new BsonArray { new BsonDocument("$ifNull", new BsonArray { "$lotKey", "" }), 3, 14 });
        var issued = await GroupAsync(db.Recalls, new BsonDocument("issuedAt.ticks", Range(f, t)), "$gtin", ct);
        var ended = await GroupAsync(db.Recalls, new BsonDocument("liftedAt.ticks", Range(f, t)), "$gtin", ct);
        var complaints = await GroupManyAsync(db.Reports, new BsonDocument("createdAt.ticks", Range(f, t)),
            new BsonDocument { { "gtin", gtinOfLotKey }, { "category", "$category" }, { "status", "$status" } }, ct);
        var days = new BsonDocument("$round", new BsonArray
        {
            new BsonDocument("$divide", new BsonArray
                { new BsonDocument("$subtract", new BsonArray { "$updatedAt.ticks", "$createdAt.ticks" }), TimeSpan.TicksPerDay }),
            2,
        });
        var closed = await GroupManyAsync(db.Reports,
            new BsonDocument { { "createdAt.ticks", Range(f, t) }, { "status", new BsonDocument("$in", new BsonArray { nameof(ReportStatus.Resolved), nameof(ReportStatus.Rejected) }) } },
            new BsonDocument { { "gtin", gtinOfLotKey }, { "days", days } }, ct);
        var inspected = await GroupManyAsync(db.Inspections, new BsonDocument("inspectedAt.ticks", Range(f, t)),
            new BsonDocument { { "gtin", gtinOfLotKey }, { "result", "$result" } }, ct);
        var published = await GroupManyAsync(db.Inspections,
            new BsonDocument { { "inspectedAt.ticks", Range(f, t) }, { "publishedAt", new BsonDocument("$exists", true) } },
            new BsonDocument { { "gtin", gtinOfLotKey } }, ct);

        var gtins = issued.Keys.Concat(ended.Keys).Concat(complaints.Concat(closed).Concat(inspected).Concat(published).Select(g => g.Id["gtin"].AsString)).ToHashSet();
        var producerOfGtin = (await db.Products.Find(Builders<ProductDoc>.Filter.In(x => x.Id, gtins))
            .Project(x => new { x.Id, x.ProducerId }).ToListAsync(ct)).ToDictionary(x => x.Id, x => x.ProducerId, StringComparer.Ordinal);
        var gtinProvinces = await ProducerProvincesAsync(producerOfGtin.Values, ct);
        string? ProvinceOfGtin(string gtin) =>
            producerOfGtin.TryGetValue(gtin, out var producer) ? gtinProvinces.GetValueOrDefault(producer) : null;

        var sync = new List<StatGroup>();
        foreach (var host in db.OutboxHosts)
            sync.AddRange((await host.CountCreatedByStateAsync(f, t, ct)).Select(c => new StatGroup(null, c.State.ToString(), c.Count)));

        return new StoreStatistics
        {
            Producers = producers,
            Catalog = catalog,
            ScansByDay = [.. scanDays.Where(g => !g["_id"]["unknown"].ToBoolean()).Select(ScanGroup)],
            UnknownScans = [.. scanDays.Where(g => g["_id"]["unknown"].ToBoolean()).Select(ScanGroup)],
            Recalls = [.. issued.Select(g => new StatGroup(ProvinceOfGtin(g.Key), "issued", g.Value)),
                .. ended.Select(g => new StatGroup(ProvinceOfGtin(g.Key), "ended", g.Value))],
            Complaints = [.. complaints.Select(g => new StatGroup(ProvinceOfGtin(g.Id["gtin"].AsString),
                g.Id["category"].AsString + "|" + ReportStatuses.Text(Enum.Parse<ReportStatus>(g.Id["status"].AsString)), g.Count))],
            ComplaintDaysToClose = [.. closed.Select(g => new StatGroup(ProvinceOfGtin(g.Id["gtin"].AsString),
                g.Id["days"].ToDouble().ToString("0.00", CultureInfo.InvariantCulture), g.Count))],
            Inspections = [.. inspected.Select(g => new StatGroup(ProvinceOfGtin(g.Id["gtin"].AsString), g.Id["result"].AsString, g.Count))],
            PublishedInspections = [.. published.Select(g => new StatGroup(ProvinceOfGtin(g.Id["gtin"].AsString), "published", g.Count))],
            Sync = sync,
        };
    }

    private async Task<IEnumerable<StatGroup>> ByProvinceAsync(BsonDocument producers, string key, CancellationToken ct) =>
        (await GroupAsync(db.Producers, producers, "$province", ct)).Select(g => new StatGroup(g.Key, key, g.Value));

    /// <summary>Counts the matching documents per value of one field (a string).</summary>
    private static async Task<Dictionary<string, long>> GroupAsync<T>(IMongoCollection<T> collection, BsonDocument match, string field, CancellationToken ct)
    {
        var groups = await collection.Aggregate<BsonDocument>(new BsonDocument[]
        {
            new("$match", match),
            new("$group", new BsonDocument { { "_id", field }, { "count", new BsonDocument("$sum", 1) } }),
        }, cancellationToken: ct).ToListAsync(ct);
        return groups.Where(g => g["_id"].IsString).ToDictionary(g => g["_id"].AsString, g => g["count"].ToInt64(), StringComparer.Ordinal);
    }

    /// <summary>Counts the matching documents per combination of the fields in <paramref name="id"/>.</summary>
    private static async Task<List<(BsonDocument Id, long Count)>> GroupManyAsync<T>(IMongoCollection<T> collection, BsonDocument match,
        BsonDocument id, CancellationToken ct)
    {
        var groups = await collection.Aggregate<BsonDocument>(new BsonDocument[]
        {
            new("$match", match),
            new("$group", new BsonDocument { { "_id", id }, { "count", new BsonDocument("$sum", 1) } }),
        }, cancellationToken: ct).ToListAsync(ct);
        return [.. groups.Select(g => (g["_id"].AsBsonDocument, g["count"].ToInt64()))];
    }

    private async Task<Dictionary<string, string>> ProducerProvincesAsync(IEnumerable<string> ids, CancellationToken ct)
    {
        var set = ids.ToHashSet(StringComparer.Ordinal);
        if (set.Count == 0) return new(StringComparer.Ordinal);
        var rows = await db.Producers.Find(Builders<ProducerDoc>.Filter.In(x => x.Id, set)).Project(x => new { x.Id, x.Province }).ToListAsync(ct);
        return rows.ToDictionary(x => x.Id, x => x.Province, StringComparer.Ordinal);
    }

    private static IEnumerable<StatGroup> ToProvinces(Dictionary<string, long> byProducer, Dictionary<string, string> provinceOf, string key) =>
        byProducer.GroupBy(p => provinceOf.GetValueOrDefault(p.Key)).Select(g => new StatGroup(g.Key, key, g.Sum(p => p.Value)));

    private static StatGroup ScanGroup(BsonDocument g) => new(NullableString(g["_id"]["province"]),
        DateOnly.FromDayNumber(g["_id"]["day"].ToInt32()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), g["count"].ToInt64());

    private static string? NullableString(BsonValue value) => value.IsString ? value.AsString : null;
}
