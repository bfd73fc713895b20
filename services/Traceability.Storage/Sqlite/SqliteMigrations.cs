using System.Reflection;

namespace Traceability.Storage.Sqlite;

/// <summary>
/// Applies the embedded Migrations/NNNN_name.sql scripts in name order, each in its own
/// transaction. Applied names are recorded in schema_migrations (not only PRAGMA user_version) so
/// a migration merged later with a lower number than one already applied still runs.
/// PRAGMA user_version mirrors the highest number applied, for tools.
/// </summary>
internal static class SqliteMigrations
{
    private const string ResourcePrefix = "Traceability.Storage.Sqlite.Migrations.";

    public static IReadOnlyList<(string Name, string Sql)> Load()
    {
        var assembly = typeof(SqliteMigrations).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n[ResourcePrefix.Length..^".sql".Length], Read(assembly, n)))
            .ToList();
    }

    public static IReadOnlyList<string> Apply(SqliteConnection connection, TimeProvider time)
    {
        SqliteDatabase.Execute(connection,
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL);");
        RefuseNewerSchema(connection);
        var applied = new List<string>();
        foreach (var (name, sql) in Load())
        {
            // BEGIN IMMEDIATE before the check: two processes starting together apply it once.
            SqliteDatabase.Execute(connection, "BEGIN IMMEDIATE;");
            try
            {
                using var check = connection.CreateCommand();
                check.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE name = $name;";
                check.Parameters.AddWithValue("$name", name);
                if ((long)check.ExecuteScalar()! > 0)
                {
                    SqliteDatabase.Execute(connection, "COMMIT;");
                    continue;
                }
                SqliteDatabase.Execute(connection, sql);
                using var record = connection.CreateCommand();
                record.CommandText = "INSERT INTO schema_migrations (name, applied_at) VALUES ($name, $at);";
                record.Parameters.AddWithValue("$name", name);
                record.Parameters.AddWithValue("$at", time.GetUtcNow().ToUnixTimeMilliseconds());
                record.ExecuteNonQuery();
                if (int.TryParse(name.AsSpan(0, Math.Min(4, name.Length)), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    var current = (long)SqliteDatabase.Scalar(connection, "PRAGMA user_version;")!;
                    if (number > current)
                    {
                        SqliteDatabase.Execute(connection, $"PRAGMA user_version = {number};");
                    }
                }
                SqliteDatabase.Execute(connection, "COMMIT;");
                applied.Add(name);
            }
            catch
            {
                try
                {
                    SqliteDatabase.Execute(connection, "ROLLBACK;");
                }
                catch (SqliteException)
                {
                    // Already rolled back by SQLite.
                }
                throw;
            }
        }
        return applied;
    }

    /// <summary>
    /// Migrations are forward-only: a database that a newer release has migrated (it records a
    /// migration this build does not know) is refused rather than written with an older idea of its
    /// tables.
    /// </summary>
    private static void RefuseNewerSchema(SqliteConnection connection)
    {
        var known = Load().Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM schema_migrations ORDER BY name;";
        var unknown = new List<string>();
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                if (!known.Contains(reader.GetString(0))) unknown.Add(reader.GetString(0));
        if (unknown.Count > 0)
            throw new StoreUnavailableException(
                $"The database '{connection.DataSource}' was written by a newer version of Traceability (schema {unknown[^1]}; " +
                $"this version knows up to {known.Max(StringComparer.Ordinal)}). Run the newer version, or restore a backup made by this one; " +
                "the data was not changed.");
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
