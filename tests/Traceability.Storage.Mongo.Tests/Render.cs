using MongoDB.Bson.Serialization;

namespace Traceability.Storage.Mongo.Tests;

/// <summary>Renders driver definitions to BSON the way the driver sends them, with the class maps registered.</summary>
internal static class Render
{
    static Render() => DocumentMappings.Register();

    private static RenderArgs<T> Args<T>() =>
        new(BsonSerializer.SerializerRegistry.GetSerializer<T>(), BsonSerializer.SerializerRegistry);

    public static BsonDocument Filter<T>(FilterDefinition<T> f) => f.Render(Args<T>());
    public static BsonDocument Sort<T>(SortDefinition<T> s) => s.Render(Args<T>());
    public static BsonDocument Keys<T>(IndexKeysDefinition<T> k) => k.Render(Args<T>());
    public static BsonValue Update<T>(UpdateDefinition<T> u) => u.Render(Args<T>());
    public static BsonDocument Projection<T>(ProjectionDefinition<T> p) =>
        p.Render(Args<T>());
    public static IReadOnlyList<BsonDocument> Pipeline<T, TOut>(PipelineDefinition<T, TOut> p) =>
        [.. p.Render(Args<T>()).Documents];

    public static BsonDocument ToBson<T>(T doc) => doc.ToBsonDocument();

    public static T RoundTrip<T>(T doc) => BsonSerializer.Deserialize<T>(doc.ToBson());

    /// <summary>Compares with relaxed-extended-JSON text so a mismatch shows both sides readably.</summary>
    public static void Equal(string expectedJson, BsonValue actual) =>
        Assert.Equal(BsonDocument.Parse("{ \"v\": " + expectedJson + " }")["v"].ToJson(), actual.ToJson());
}
