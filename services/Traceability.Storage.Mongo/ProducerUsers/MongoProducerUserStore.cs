namespace Traceability.Storage.Mongo;

public sealed class MongoProducerUserStore(MongoDatabaseContext db) : IProducerUserStore, IMongoIndexedStore
{
    public Task EnsureIndexesAsync(CancellationToken ct) => ProducerUserDocs.Indexes.CreateManyAsync(ProducerUserIndexes, ct);

    public static readonly IReadOnlyList<CreateIndexModel<ProducerUserDoc>> ProducerUserIndexes =
    [
        // A login names one person across all producers: the sign-in form asks for no producer.
        new(Builders<ProducerUserDoc>.IndexKeys.Ascending(x => x.Login), new() { Name = "login_unique", Unique = true }),
        new(Builders<ProducerUserDoc>.IndexKeys.Ascending(x => x.ProducerId).Ascending(x => x.CreatedAt.Ticks), new() { Name = "producerId_createdAt" }),
    ];

    private IMongoCollection<ProducerUserDoc> ProducerUserDocs => db.Collection<ProducerUserDoc>(Collections.ProducerUsers);

    public async Task AddProducerUserAsync(ProducerUser user, AuditEntry entry, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("add-producer-user");
        try
        {
            await db.InTransactionAsync(async (s, c) =>
            {
                await ProducerUserDocs.InsertOneAsync(s, ProducerUserDoc.From(user), cancellationToken: c);
                await db.Audit.InsertOneAsync(s, AuditDoc.From(entry), cancellationToken: c);
                return true;
            }, ct);
        }
        catch (Exception ex) when (IsDuplicateKey(ex))
        {
            throw new DuplicateKeyException($"A user with id '{user.Id}' or login '{user.Login}' already exists.");
        }
    }

    public async Task<ProducerUser?> GetProducerUserAsync(string id, CancellationToken ct = default) =>
        (await ProducerUserDocs.Find(x => x.Id == id).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<ProducerUser?> FindProducerUserByLoginAsync(string login, CancellationToken ct = default) =>
        (await ProducerUserDocs.Find(x => x.Login == login).FirstOrDefaultAsync(ct))?.ToRecord();

    public async Task<IReadOnlyList<ProducerUser>> ListProducerUsersAsync(string producerId, CancellationToken ct = default) =>
        [.. (await ProducerUserDocs.Find(x => x.ProducerId == producerId).SortBy(x => x.CreatedAt.Ticks).ThenBy(x => x.Id).ToListAsync(ct))
            .Select(d => d.ToRecord())];

    public async Task<bool> SetProducerUserPasswordAsync(string id, string passwordHash, bool mustChange, DateTimeOffset at, AuditEntry? entry,
        CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("set-producer-user-password");
        return await db.InTransactionAsync(async (s, c) =>
        {
            var result = await ProducerUserDocs.UpdateOneAsync(s, x => x.Id == id && x.DisabledAt == null,
                Builders<ProducerUserDoc>.Update.Set(x => x.PasswordHash, passwordHash).Set(x => x.MustChangePassword, mustChange)
                    .Set(x => x.PasswordChangedAt, TimeDoc.From(at)), cancellationToken: c);
            if (result.ModifiedCount == 0) return false;
            if (entry is not null) await db.Audit.InsertOneAsync(s, AuditDoc.From(entry), cancellationToken: c);
            return true;
        }, ct);
    }

    public async Task<bool> DisableProducerUserAsync(string id, DateTimeOffset at, AuditEntry entry, CancellationToken ct = default)
    {
        using var activity = MongoStoreTelemetry.StartOperation("disable-producer-user");
        return await db.InTransactionAsync(async (s, c) =>
        {
            var result = await ProducerUserDocs.UpdateOneAsync(s, x => x.Id == id && x.DisabledAt == null,
                Builders<ProducerUserDoc>.Update.Set(x => x.DisabledAt, TimeDoc.From(at)), cancellationToken: c);
            if (result.ModifiedCount == 0) return false;
            await db.Audit.InsertOneAsync(s, AuditDoc.From(entry), cancellationToken: c);
            return true;
        }, ct);
    }
}
