using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Traceability.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file (WAL mode) under the data directory. Each feature lives in
/// its own partial file (Accounts, Catalog, Events, Outbox, …).
/// Writes go through one long-lived connection, serialised by a semaphore inside the process and
/// by <c>BEGIN IMMEDIATE</c> (SQLite's write lock, waited for with busy_timeout) across processes.
/// Reads use pooled connections and run beside the writer (WAL readers never block it).
/// </summary>
public sealed partial class SqliteTraceStore : IDisposable, IAsyncDisposable
{
    public const string DatabaseFileName = "traceability.db";
    private const int BusyTimeoutMs = 30_000;

    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TimeProvider _time;
    private bool _disposed;

    public SqliteTraceStore(StorageOptions options, TimeProvider? time = null, ILogger<SqliteTraceStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time ?? TimeProvider.System;
        var log = (ILogger?)logger ?? NullLogger.Instance;

        DataDirectory = EnsureWritableDirectory(options.DataDirectory);
        DatabasePath = Path.Combine(DataDirectory, DatabaseFileName);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = BusyTimeoutMs / 1000,
        }.ToString();

        _writer = new SqliteConnection(_connectionString);
        try
        {
            _writer.Open();
            ConfigureWriter(_writer);
            AppliedMigrations = SqliteMigrations.Apply(_writer, _time);
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
    }

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
            Directory.CreateDirectory(directory);
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
        // Capture inserts into several random-order indexes (eventID, outbox key): a 64 MB page cache
        // keeps their pages in memory, and checkpointing every 32 MB of WAL instead of every 4 MB
        // halves the copy-back work. The WAL file is truncated back to 64 MB after a checkpoint.
        Execute(connection, "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 8192; PRAGMA journal_size_limit = 67108864;");
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction on the writer connection: all or nothing.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, CancellationToken ct,
        [System.Runtime.CompilerServices.CallerMemberName] string operation = "")
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var activity = SqliteStoreTelemetry.StartWrite(operation);
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            Execute(_writer, "BEGIN IMMEDIATE;");
            T result;
            try
            {
                result = work(_writer);
                Execute(_writer, "COMMIT;");
            }
            catch
            {
                Rollback(_writer);
                throw;
            }
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private Task WriteAsync(Action<SqliteConnection> work, CancellationToken ct,
        [System.Runtime.CompilerServices.CallerMemberName] string operation = "") =>
        WriteAsync(connection => { work(connection); return true; }, ct, operation);

    private static void Rollback(SqliteConnection connection)
    {
        try
        {
            Execute(connection, "ROLLBACK;");
        }
        catch (SqliteException)
        {
            // SQLite already rolled the transaction back itself (e.g. after an I/O error).
        }
    }

    /// <summary>A pooled connection for reading; dispose it when done.</summary>
    private SqliteConnection OpenReader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    internal static int Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command.ExecuteNonQuery();
    }

    internal static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static long? Ms(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static DateTimeOffset? FromMs(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;

    private static object Db(object? value) => value ?? DBNull.Value;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
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
    }
}
