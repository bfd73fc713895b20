using Microsoft.Extensions.Logging.Abstractions;

namespace Traceability.Storage.Sqlite;

/// <summary>
/// The mechanics under every SQLite feature store (SqliteCatalogStore, SqliteEventStore, …): one
/// SQLite file (WAL mode) under the data directory, migrated when opened, and the way to use it.
/// Writes go through one long-lived connection, serialised (and grouped into shared transactions,
/// see WriteAsync in SqliteDatabase.WriteQueue.cs) by a semaphore inside the process and
/// by <c>BEGIN IMMEDIATE</c> (SQLite's write lock, waited for with busy_timeout) across processes.
/// Reads use pooled connections and run beside the writer (WAL readers never block it).
/// The feature stores hold no state of their own: one instance of this per file, shared by all of them.
/// </summary>
public sealed partial class SqliteDatabase : IDisposable, IAsyncDisposable
{
    public const string DatabaseFileName = "traceability.db";
    private const int BusyTimeoutMs = 30_000;

    private readonly string _connectionString;
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);
    private readonly SqliteConnection _writer;
    private readonly TimeProvider _time;
    private readonly Timer _checkpoints;
    private int _checkpointing;
    private bool _disposed;

    public SqliteDatabase(StorageOptions options, TimeProvider? time = null, ILogger<SqliteDatabase>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time ?? TimeProvider.System;
        var log = (ILogger?)logger ?? NullLogger.Instance;

        DataDirectory = EnsureWritableDirectory(options.DataDirectory);
        DatabasePath = Path.Combine(DataDirectory, DatabaseFileName);
        // SQLite would create the file 0644 (less the umask); its -wal and -shm files copy the
        // database file's mode, so creating it 0600 first keeps all three private.
        DataDirectoryAccess.CreatePrivateFile(DatabasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Not ForeignKeys: with it in the connection string every Open, pooled or not, runs its PRAGMA
            // again, one more statement for each read (a dozen per provenance build). Only the writer writes,
            // and ConfigureWriter turns foreign keys on for it.
            DefaultTimeout = BusyTimeoutMs / 1000,
        }.ToString();

        _writer = new SqliteConnection(_connectionString);
        try
        {
            _writer.Open();
            ConfigureWriter(_writer);
            AppliedMigrations = SqliteMigrations.Apply(_writer, _time);
        }
        catch (StoreUnavailableException)
        {
            _writer.Dispose();
            throw;
        }
        catch (SqliteException ex)
        {
            _writer.Dispose();
            throw new StoreUnavailableException(
                $"The database '{DatabasePath}' cannot be opened: {ex.Message} " +
                $"Check the data directory (configuration key Storage:DataDirectory).", ex);
        }
        foreach (var name in AppliedMigrations)
        {
            Log.MigrationApplied(log, name, DatabasePath);
        }
        _checkpoints = new Timer(_ => CheckpointWal(log), null, CheckpointInterval, CheckpointInterval);
    }

    /// <summary>
    /// Copies the WAL back into the database file from a connection of its own (a passive checkpoint
    /// never blocks the writer or readers), so that commits do not pay for the copy.
    /// </summary>
    private void CheckpointWal(ILogger log)
    {
        if (_disposed || Interlocked.Exchange(ref _checkpointing, 1) == 1)
        {
            return;
        }
        try
        {
            using var connection = OpenReader();
            Execute(connection, "PRAGMA wal_checkpoint(PASSIVE);");
        }
        catch (Exception ex) when (ex is SqliteException or ObjectDisposedException or InvalidOperationException)
        {
            Log.CheckpointFailed(log, DatabasePath, ex);
        }
        finally
        {
            Volatile.Write(ref _checkpointing, 0);
        }
    }

    /// <summary>The clock that stamps what the stores write themselves (outbox rows' created and due times, finished jobs).</summary>
    public TimeProvider Time => _time;

    /// <summary>The full path of the data directory.</summary>
    public string DataDirectory { get; }

    public string DatabasePath { get; }

    /// <summary>Migrations this instance applied when it opened the file (empty when up to date).</summary>
    public IReadOnlyList<string> AppliedMigrations { get; }

    private static string EnsureWritableDirectory(string configured)
    {
        string directory = configured;
        try
        {
            directory = Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "./data" : configured);
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
            else Directory.CreateDirectory(directory, DataDirectoryAccess.DirectoryMode);
            // Creating a directory can succeed on a read-only mount or without write permission:
            // prove we can write by creating and deleting a probe file.
            var probe = Path.Combine(directory, $".write-probe-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return directory;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new StoreUnavailableException(
                $"The data directory '{directory}' cannot be created or is not writable ({ex.Message}). " +
                "Set the configuration key Storage:DataDirectory (environment variable Storage__DataDirectory) " +
                "to a writable directory.", ex);
        }
    }

    private static void ConfigureWriter(SqliteConnection connection)
    {
        // First, so that switching to WAL waits for another process that is opening the file too.
        Execute(connection, $"PRAGMA busy_timeout = {BusyTimeoutMs};");
        var mode = Scalar(connection, "PRAGMA journal_mode = WAL;") as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new StoreUnavailableException(
                $"SQLite could not switch '{connection.DataSource}' to WAL mode (got '{mode}'); " +
                "use a local file system for Storage:DataDirectory.");
        }
        // synchronous=FULL: in WAL mode NORMAL skips the fsync at each commit, so a power cut can
        // lose the last transactions — captures that were already acknowledged (202) and outbox
        // rows the portal expects. FULL syncs the WAL on every commit: acknowledged means durable.
        Execute(connection, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
        // Capture inserts into a random-order index (eventID): a 64 MB page cache keeps its pages in
        // memory. Checkpoints run on a timer beside the writer (CheckpointWal); the writer checkpoints
        // itself only if the WAL reaches 64 MB regardless. The WAL file is truncated back to 64 MB after.
        Execute(connection, "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 16384; PRAGMA journal_size_limit = 67108864;");
    }

    /// <summary>A pooled connection for reading; dispose it when done.</summary>
    internal SqliteConnection OpenReader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    internal static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    internal static long? Ms(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    internal static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    internal static DateTimeOffset? FromMs(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;

    internal static object Db(object? value) => value ?? DBNull.Value;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _checkpoints.Dispose();
        _writer.Dispose();
        // Release the pooled reader connections so the file can be moved or deleted.
        using (var pooled = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }
        _writeLock.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Applied migration {Migration} to {Database}")]
        public static partial void MigrationApplied(ILogger logger, string migration, string database);

        [LoggerMessage(LogLevel.Warning, "WAL checkpoint of {Database} failed; the writer will checkpoint instead")]
        public static partial void CheckpointFailed(ILogger logger, string database, Exception exception);
    }
}
