namespace Traceability.Storage.Mongo;

public sealed class MongoStaffStore(MongoDatabaseContext db) : IStaffStore
{
    private IMongoCollection<StaffDoc> StaffDocs => db.Collection<StaffDoc>(Collections.Staff);

    public async Task AddStaffAsync(StaffAccount staff, ApiKeyRecord key, AuditEntry entry, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("add-staff");
        try
        {
            await db.InTransactionAsync(async (s, c) =>
            {
                await StaffDocs.InsertOneAsync(s, StaffDoc.From(staff), cancellationToken: c);
                await db.ApiKeys.InsertOneAsync(s, ApiKeyDoc.From(key), cancellationToken: c);
                await db.Audit.InsertOneAsync(s, AuditDoc.From(entry), cancellationToken: c);
                return true;
            }, ct);
        }
        catch (Exception ex) when (IsDuplicateKey(ex))
        {
            throw new DuplicateKeyException($"A staff account '{staff.Id}' or key '{key.KeyId}' already exists.");
        }
    }

    public async Task<StaffAccount?> GetStaffAsync(string id, CancellationToken ct = default) =>
        (await StaffDocs.Find(x => x.Id == id).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<IReadOnlyList<StaffAccount>> ListStaffAsync(CancellationToken ct = default) =>
        [.. (await StaffDocs.Find(FilterDefinition<StaffDoc>.Empty).SortBy(x => x.CreatedAt.Ticks).ThenBy(x => x.Id).ToListAsync(ct))
            .Select(d => d.ToRecord())];

    // The account, its keys and the audit entry in one transaction: a revoked account never keeps a working key.
    public async Task<bool> RevokeStaffAsync(string id, DateTimeOffset at, AuditEntry entry, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("revoke-staff");
        return await db.InTransactionAsync(async (s, c) =>
        {
            var result = await StaffDocs.UpdateOneAsync(s, x => x.Id == id && x.RevokedAt == null,
                Builders<StaffDoc>.Update.Set(x => x.RevokedAt, TimeDoc.From(at)), cancellationToken: c);
            if (result.ModifiedCount == 0) return false;
            await db.ApiKeys.UpdateManyAsync(s, x => x.StaffId == id && x.RevokedAt == null,
                Builders<ApiKeyDoc>.Update.Set(x => x.RevokedAt, TimeDoc.From(at)), cancellationToken: c);
            await db.Audit.InsertOneAsync(s, AuditDoc.From(entry), cancellationToken: c);
            return true;
        }, ct);
    }
}
