namespace Traceability.Storage.Sqlite;

public sealed class SqliteNamedQueryStore(SqliteDatabase db) : INamedQueryStore
{
    public Task<bool> AddNamedQueryAsync(NamedQuery query, CancellationToken ct = default) =>
        db.WriteAsync(connection => connection.Execute(
            "INSERT INTO named_queries (owner, name, definition, created_at) VALUES (@Owner, @Name, @Definition, @CreatedAt) ON CONFLICT DO NOTHING",
            new { query.Owner, query.Name, query.Definition, CreatedAt = Ms(query.CreatedAt) }) == 1, ct);

    public async Task<NamedQuery?> GetNamedQueryAsync(string owner, string name, CancellationToken ct = default) =>
        (await SelectNamedQueriesAsync("owner = @owner AND name = @name", new { owner, name }, ct)).FirstOrDefault();

    public Task<IReadOnlyList<NamedQuery>> ListNamedQueriesAsync(string owner, CancellationToken ct = default) =>
        SelectNamedQueriesAsync("owner = @owner", new { owner }, ct);

    public Task<bool> DeleteNamedQueryAsync(string owner, string name, CancellationToken ct = default) =>
        db.WriteAsync(connection => connection.Execute("DELETE FROM named_queries WHERE owner = @owner AND name = @name", new { owner, name }) == 1, ct);

    private async Task<IReadOnlyList<NamedQuery>> SelectNamedQueriesAsync(string where, object parameters, CancellationToken ct)
    {
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<(string Owner, string Name, string Definition, long CreatedAt)>(new CommandDefinition(
            $"SELECT owner, name, definition, created_at FROM named_queries WHERE {where} ORDER BY name", parameters, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => new NamedQuery(r.Owner, r.Name, r.Definition, FromMs(r.CreatedAt)))];
    }
}
