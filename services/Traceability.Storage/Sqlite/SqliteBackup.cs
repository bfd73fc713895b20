namespace Traceability.Storage.Sqlite;

/// <summary>
/// The database half of a backup: SQLite's online backup API (through Microsoft.Data.Sqlite)
/// copies a consistent snapshot page by page while the service keeps writing, WAL included —
/// copying the file itself could catch a half-checkpointed database.
/// </summary>
public static class SqliteBackup
{
    /// <summary>Tables whose row counts a backup manifest records (and a restore re-checks).</summary>
    public static readonly string[] CountedTables =
        ["producers", "products", "lots", "events", "outbox", "recalls", "serials", "signing_keys", "reports", "inspections", "scans",
         "data_protection_keys", "product_images"];

    /// <summary>Copies the database at <paramref name="source"/> into a new file at <paramref name="target"/> (0600).</summary>
    public static void Copy(string source, string target)
    {
        DataDirectoryAccess.CreatePrivateFile(target);
        using var from = Open(source, SqliteOpenMode.ReadOnly);
        using var to = Open(target, SqliteOpenMode.ReadWrite);
        from.BackupDatabase(to);
        // The copy is a single file: no -wal beside it.
        SqliteDatabase.Execute(to, "PRAGMA journal_mode = DELETE;");
    }

    /// <summary>The migrations applied to the database (its schema version) and its row counts.</summary>
    public static (IReadOnlyList<string> Migrations, IReadOnlyDictionary<string, long> Counts) Describe(string database)
    {
        using var connection = Open(database, SqliteOpenMode.ReadOnly);
        var migrations = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM schema_migrations ORDER BY name;";
            using var reader = command.ExecuteReader();
            while (reader.Read()) migrations.Add(reader.GetString(0));
        }
        var counts = new Dictionary<string, long>();
        foreach (var table in CountedTables)
        {
            if (SqliteDatabase.Scalar(connection, $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}';") is 0L) continue;
            counts[table] = (long)SqliteDatabase.Scalar(connection, $"SELECT COUNT(*) FROM {table};")!;
        }
        return (migrations, counts);
    }

    /// <summary>SQLite's own check of every page and index: "ok", or what is wrong.</summary>
    public static string IntegrityCheck(string database)
    {
        try
        {
            using var connection = Open(database, SqliteOpenMode.ReadOnly);
            return SqliteDatabase.Scalar(connection, "PRAGMA integrity_check;") as string ?? "no answer";
        }
        catch (SqliteException e)
        {
            return e.Message;
        }
    }

    /// <summary>The migrations this build knows, oldest first.</summary>
    public static IReadOnlyList<string> KnownMigrations() => [.. SqliteMigrations.Load().Select(m => m.Name)];

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
