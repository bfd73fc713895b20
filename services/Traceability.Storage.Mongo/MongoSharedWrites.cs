namespace Traceability.Storage.Mongo;

/// <summary>
/// Writes one feature makes on another's documents: appending to the change feed deletes the lookup
/// views the change makes stale (what ILookupViewStore.DeleteLookupViewsAsync does too). Written once, here.
/// </summary>
internal static class MongoSharedWrites
{
    private static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;

    public static Task DeleteLookupViewsAsync(MongoDatabaseContext db, IReadOnlyList<string> changeKeys, CancellationToken ct)
    {
        if (changeKeys.Count == 0) return Task.CompletedTask;
        var views = db.Documents(Collections.LookupViews);
        if (changeKeys.Contains(ChangeKeys.All)) return views.DeleteManyAsync(F.Empty, ct);
        var gtins = changeKeys.Select(ChangeKeys.ProductGtin).OfType<string>().ToList();
        var keys = changeKeys.Where(k => ChangeKeys.ProductGtin(k) is null).ToList();
        return views.DeleteManyAsync(F.In("_id", keys) | F.In("gtin", gtins), ct);
    }
}
