namespace Traceability.Storage.Sqlite;

public sealed class SqliteScanStore(SqliteDatabase db) : IScanStore
{
    public Task AddScansAsync(IReadOnlyList<ScanRecord> batch, CancellationToken ct = default)
    {
        if (batch.Count == 0) return Task.CompletedTask;
        return db.WriteAsync(connection =>
        {
            using var insert = connection.CreateCommand();
            insert.CommandText =
                "INSERT INTO scans (time, lot_key, serial, province, ua_class, client, source, attested, unknown) " +
                "VALUES ($time, $lot, $serial, $province, $ua, $client, $source, $attested, $unknown);";
            var time = insert.Parameters.Add("$time", Microsoft.Data.Sqlite.SqliteType.Integer);
            var lot = insert.Parameters.Add("$lot", Microsoft.Data.Sqlite.SqliteType.Text);
            var serial = insert.Parameters.Add("$serial", Microsoft.Data.Sqlite.SqliteType.Text);
            var province = insert.Parameters.Add("$province", Microsoft.Data.Sqlite.SqliteType.Text);
            var ua = insert.Parameters.Add("$ua", Microsoft.Data.Sqlite.SqliteType.Text);
            var client = insert.Parameters.Add("$client", Microsoft.Data.Sqlite.SqliteType.Text);
            var source = insert.Parameters.Add("$source", Microsoft.Data.Sqlite.SqliteType.Text);
            var attested = insert.Parameters.Add("$attested", Microsoft.Data.Sqlite.SqliteType.Integer);
            var unknown = insert.Parameters.Add("$unknown", Microsoft.Data.Sqlite.SqliteType.Integer);
            foreach (var scan in batch)
            {
                time.Value = Ms(scan.Time);
                lot.Value = scan.LotKey;
                serial.Value = Db(scan.Serial);
                province.Value = Db(scan.Province);
                ua.Value = scan.UserAgentClass;
                client.Value = Db(scan.Client);
                source.Value = scan.Source;
                attested.Value = scan.Attested ? 1 : 0;
                unknown.Value = scan.Unknown ? 1 : 0;
                insert.ExecuteNonQuery();
            }
        }, ct);
    }

    public async Task<IReadOnlyList<ScanRecord>> GetScansAsync(string key, DateTimeOffset since, CancellationToken ct = default)
    {
        // The key is a lot key, or a serial key `{lotKey}/21/{escaped serial}`. Lots are escaped in
        // keys, so a '/' never comes from a lot; each "/21/" is still tried, which costs nothing.
        var where = new List<string> { "lot_key = @key" };
        var parameters = new DynamicParameters(new { key, since = Ms(since) });
        // A lot key is `01/{gtin14}/10/` (21 characters) plus at least one character of lot.
        var at = key.Length > 22 ? key.IndexOf("/21/", 22, StringComparison.Ordinal) : -1;
        for (var i = 0; at >= 0; i++, at = key.IndexOf("/21/", at + 1, StringComparison.Ordinal))
        {
            where.Add($"(lot_key = @lot{i} AND serial = @serial{i})");
            parameters.Add($"lot{i}", key[..at]);
            parameters.Add($"serial{i}", Uri.UnescapeDataString(key[(at + 4)..]));
        }
        using var connection = db.OpenReader();
        var rows = await connection.QueryAsync<ScanRow>(new CommandDefinition(
            $"""
            SELECT time AS Time, lot_key AS LotKey, serial AS Serial, province AS Province, ua_class AS UserAgentClass,
                   client AS Client, source AS Source, attested AS Attested
            FROM scans WHERE time >= @since AND unknown = 0 AND ({string.Join(" OR ", where)}) ORDER BY time, seq
            """, parameters, cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => new ScanRecord(FromMs(r.Time), r.LotKey, r.Serial, r.Province, r.UserAgentClass,
            r.Client, r.Source, r.Attested != 0)).ToList();
    }

    public Task<byte[]> GetDailySaltAsync(DateOnly day, byte[] proposal, CancellationToken ct = default) =>
        db.WriteAsync(connection =>
        {
            var key = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            connection.Execute("DELETE FROM scan_salts WHERE day < @key; INSERT OR IGNORE INTO scan_salts (day, salt) VALUES (@key, @proposal);",
                new { key, proposal });
            return connection.ExecuteScalar<byte[]>("SELECT salt FROM scan_salts WHERE day = @key;", new { key })!;
        }, ct);

    private sealed class ScanRow
    {
        public long Time { get; init; }
        public string LotKey { get; init; } = "";
        public string? Serial { get; init; }
        public string? Province { get; init; }
        public string UserAgentClass { get; init; } = "";
        public string? Client { get; init; }
        public string Source { get; init; } = ScanSources.Consumer;
        public long Attested { get; init; }
    }
}
