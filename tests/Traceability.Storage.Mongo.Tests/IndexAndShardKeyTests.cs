using System.Reflection;
using System.Text.RegularExpressions;
using MongoDB.Bson.Serialization;

namespace Traceability.Storage.Mongo.Tests;

/// <summary>The index list and the shard keys, rendered and checked against each other and the scripts.</summary>
public sealed partial class IndexAndShardKeyTests
{
    static IndexAndShardKeyTests() => DocumentMappings.Register();

    private static (string Name, string Keys, bool Unique)[] Rendered<T>(IEnumerable<CreateIndexModel<T>> models) =>
        [.. models.Select(m => (m.Options.Name, Render.Keys(m.Keys).ToJson(), m.Options.Unique ?? false))];

    private static (string, string, bool) Index(string name, string keys, bool unique = false) =>
        (name, BsonDocument.Parse(keys).ToJson(), unique);

    private const string Outbox = """{ "outbox.state": 1, "outbox.nextAttemptAt.ticks": 1, "outbox.leaseUntil.ticks": 1 }""";
    // The periodic report: the rows created in a period, by state.
    private const string OutboxCreated = """{ "outbox.createdAt.ticks": 1, "outbox.state": 1 }""";

    [Fact]
    public void Event_indexes_cover_lot_key_keys_time_bizstep_producer_and_outbox()
    {
        Assert.Equal(
        [
            Index("lotKey", """{ "lotKey": 1 }"""),
            Index("keys_value_role", """{ "keys.value": 1, "keys.role": 1 }"""),
            Index("eventTime", """{ "eventTime.ticks": 1, "_id": 1 }"""),
            Index("bizStep_eventTime", """{ "bizStep": 1, "eventTime.ticks": 1 }"""),
            Index("producerId_eventTime", """{ "producerId": 1, "eventTime.ticks": 1 }"""),
            Index("recordTime_id", """{ "recordTime.date": 1, "_id": 1 }"""),
            Index("producerId_recordTime_id", """{ "producerId": 1, "recordTime.date": 1, "_id": 1 }"""),
            Index("outbox_lease", Outbox),
            Index("outbox_created", OutboxCreated),
        ], Rendered(Indexes.Events));
    }

    [Fact]
    public void Natural_keys_have_unique_indexes()
    {
        Assert.Equal(
        [
            Index("gtin_lot_unique", """{ "gtin": 1, "lot": 1 }""", unique: true),
            Index("producerId_createdAt", """{ "producerId": 1, "createdAt.ticks": -1 }"""),
            Index("outbox_lease", Outbox),
            Index("outbox_created", OutboxCreated),
        ], Rendered(Indexes.Lots));
        Assert.Equal(
        [
            Index("producerId_code_unique", """{ "producerId": 1, "code": 1 }""", unique: true),
            Index("gln", """{ "gln": 1 }"""),
            Index("code", """{ "code": 1 }"""),
        ], Rendered(Indexes.Locations));
        Assert.Equal([Index("taxCode_unique", """{ "taxCode": 1 }""", unique: true)], Rendered(Indexes.Producers));
        Assert.Equal([Index("producerId", """{ "producerId": 1 }"""), Index("staffId", """{ "staffId": 1 }""")], Rendered(Indexes.ApiKeys));
    }

    [Fact]
    public void Products_are_keyed_by_gtin_and_indexed_by_producer_and_outbox()
    {
        Assert.Equal(
        [
            Index("producerId_createdAt", """{ "producerId": 1, "createdAt.ticks": 1 }"""),
            Index("outbox_lease", Outbox),
            Index("outbox_created", OutboxCreated),
        ], Rendered(Indexes.Products));
        // The GTIN is the _id, which is unique by itself.
        Assert.Equal("_id", BsonClassMap.LookupClassMap(typeof(ProductDoc)).IdMemberMap.ElementName);
        Assert.Equal("p:08930000000013", OutboxIds.Format(OutboxKind.Product, ProductDoc.From(
            new Product("08930000000013", "p", new("x"), null, null, null, null, [], null, default, default), null).Id));
    }

    [Theory]
    [InlineData(typeof(ProductDoc))]
    [InlineData(typeof(LotDoc))]
    [InlineData(typeof(EventDoc))]
    public void Every_outbox_path_exists_in_each_host_document(Type host)
    {
        var paths = typeof(OutboxFields).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.Equal(15, paths.Count);
        foreach (var path in paths)
        {
            Assert.True(Resolves(host, path), $"{path} does not exist in {host.Name}");
        }
        Assert.False(Resolves(host, "outbox.nextAttempt.ticks"));
    }

    private static bool Resolves(Type type, string path)
    {
        foreach (var element in path.Split('.'))
        {
            if (!BsonClassMap.IsClassMapRegistered(type)) return false;
            var member = BsonClassMap.LookupClassMap(type).AllMemberMaps.FirstOrDefault(m => m.ElementName == element);
            if (member is null) return false;
            type = Nullable.GetUnderlyingType(member.MemberType) ?? member.MemberType;
        }
        return true;
    }

    [Fact]
    public void Events_and_scans_shard_on_the_hashed_lot_key_and_products_on_the_gtin()
    {
        Assert.Equal("""{ "lotKey" : "hashed" }""", ShardKeys.ByCollection[Collections.Events].ToJson());
        Assert.Equal("""{ "lotKey" : "hashed" }""", ShardKeys.ByCollection[Collections.Scans].ToJson());
        Assert.Equal("""{ "_id" : "hashed" }""", ShardKeys.ByCollection[Collections.Products].ToJson());
        Assert.Equal("""{ "gtin" : 1, "lot" : 1 }""", ShardKeys.ByCollection[Collections.Lots].ToJson());
        Assert.Equal(4, ShardKeys.ByCollection.Count);
    }

    [Fact]
    public void Shard_key_fields_are_document_fields()
    {
        Assert.True(Resolves(typeof(EventDoc), "lotKey"));
        Assert.True(Resolves(typeof(LotDoc), "gtin") && Resolves(typeof(LotDoc), "lot"));
        Assert.Equal("_id", BsonClassMap.LookupClassMap(typeof(ProductDoc)).IdMemberMap.ElementName);
    }

    /// <summary>MongoDB refuses a unique index on a sharded collection unless it starts with the shard key.</summary>
    [Fact]
    public void Unique_indexes_of_sharded_collections_start_with_the_shard_key()
    {
        void Check<T>(string collection, IEnumerable<CreateIndexModel<T>> models)
        {
            var shard = ShardKeys.ByCollection[collection].Names.ToList();
            foreach (var m in models.Where(m => m.Options.Unique == true))
            {
                var keys = Render.Keys(m.Keys).Names.ToList();
                Assert.True(keys.Take(shard.Count).SequenceEqual(shard), $"{collection}.{m.Options.Name} does not start with the shard key");
            }
        }
        Check(Collections.Events, Indexes.Events);
        Check(Collections.Products, Indexes.Products);
        Check(Collections.Lots, Indexes.Lots);
    }

    [Fact]
    public void The_sharding_script_applies_the_same_shard_keys()
    {
        var script = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "infra", "shard.js"));

        var inScript = ShardCall().Matches(script).ToDictionary(m => m.Groups[1].Value, m => BsonDocument.Parse(m.Groups[2].Value));

        Assert.Equal(ShardKeys.ByCollection.Keys.Order(), inScript.Keys.Order());
        foreach (var (collection, key) in ShardKeys.ByCollection)
        {
            Assert.Equal(key, inScript[collection]);
        }
    }

    [GeneratedRegex("""sh\.shardCollection\(`\$\{dbName\}\.(\w+)`, (\{[^}]*\})\)""")]
    private static partial Regex ShardCall();

    [Fact]
    public void An_event_shards_on_its_own_lot_then_output_then_input_lot_else_its_id()
    {
        var e = BsonRoundTripTests.SampleEvent("urn:uuid:x");
        EventKey[] transform =
        [
            new("01/08930000000013/10/IN", EventKeyRole.InputLot),
            new("01/08930000000020/10/OUT", EventKeyRole.OutputLot),
        ];

        Assert.Equal("01/08930000000013/10/L1", EventDoc.PrimaryLotKey(e));
        Assert.Equal("01/08930000000020/10/OUT", EventDoc.PrimaryLotKey(e with { Keys = transform }));
        Assert.Equal("01/08930000000013/10/IN", EventDoc.PrimaryLotKey(e with { Keys = [transform[0]] }));
        Assert.Equal("urn:uuid:x", EventDoc.PrimaryLotKey(e with { Keys = [new("01/08930000000013/21/7", EventKeyRole.Epc)] }));
    }
}
