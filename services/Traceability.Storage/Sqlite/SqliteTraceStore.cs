using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Traceability.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file (WAL mode) under the data directory. Each feature lives in
/// its own partial file (Accounts, Catalog, Events, Outbox, …).
/// Writes go through one long-lived connection, serialised (and grouped into shared transactions,
/// see WriteAsync) by a semaphore inside the process and
/// by <c>BEGIN IMMEDIATE</c> (SQLite's write lock, waited for with busy_timeout) across processes.
/// Reads use pooled connections and run beside the writer (WAL readers never block it).
/// </summary>
public sealed partial class SqliteTraceStore : IDisposable, IAsyncDisposable
{
    public const string DatabaseFileName = "traceability.db";
    private const int BusyTimeoutMs = 30_000;

    private readonly string _connectionString;
    private const int MaxWritesPerTransaction = 32;
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentQueue<PendingWrite> _pendingWrites = new();
    private readonly TimeProvider _time;
    private readonly Timer _checkpoints;
    private int _checkpointing;
    private bool _disposed;

    public SqliteTraceStore(StorageOptions options, TimeProvider? time = null, ILogger<SqliteTraceStore>? logger = null)
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

    /// <summary>
    /// Runs <paramref name="work"/> on the writer connection, all or nothing, and returns once it is
    /// committed. Group commit: whoever holds the write lock runs every write queued meanwhile in one
    /// transaction, each inside its own savepoint, so concurrent captures share one WAL sync and write
    /// shared index pages once. A write that throws is rolled back alone and fails alone.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, CancellationToken ct,
        [System.Runtime.CompilerServices.CallerMemberName] string operation = "")
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var activity = SqliteStoreTelemetry.StartWrite(operation);
        var write = new PendingWrite<T>(work);
        _pendingWrites.Enqueue(write);
        var locked = false;
        try
        {
            await _writeLock.WaitAsync(ct).ConfigureAwait(false);
            locked = true;
        }
        catch (OperationCanceledException) when (write.TryCancel())
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            // Another caller's batch has already taken this write: its outcome is ours.
        }
        if (locked)
        {
            try
            {
                while (!write.Completion.IsCompleted)
                {
                    CommitPendingWrites();
                }
            }
            finally
            {
                _writeLock.Release();
            }
        }
        return await write.Completion.ConfigureAwait(false);
    }

    /// <summary>Runs up to <see cref="MaxWritesPerTransaction"/> queued writes in one transaction.</summary>
    private void CommitPendingWrites()
    {
        var batch = new List<PendingWrite>();
        while (batch.Count < MaxWritesPerTransaction && _pendingWrites.TryDequeue(out var next))
        {
            if (next.TryTake())
            {
                batch.Add(next);
            }
        }
        if (batch.Count == 0)
        {
            return;
        }
        var written = new List<PendingWrite>(batch.Count);
        try
        {
            Execute(_writer, "BEGIN IMMEDIATE;");
            foreach (var write in batch)
            {
                Execute(_writer, "SAVEPOINT write;");
                try
                {
                    write.Run(_writer);
                    written.Add(write);
                }
                catch (Exception ex)
                {
                    write.Fail(Translate(ex));
                    Execute(_writer, "ROLLBACK TO write;");
                }
                Execute(_writer, "RELEASE write;");
            }
            Execute(_writer, "COMMIT;");
        }
        catch (Exception ex)
        {
            // BEGIN, a savepoint or COMMIT failed (I/O error, disk full): nothing of the batch is stored.
            Rollback(_writer);
            foreach (var write in batch)
            {
                write.Fail(Translate(ex));
            }
            return;
        }
        foreach (var write in written)
        {
            write.Succeed();
        }
    }

    /// <summary>SQLITE_FULL (no space left, or max_page_count reached) becomes <see cref="StoreFullException"/>: the services answer 507.</summary>
    private Exception Translate(Exception ex) => ex is SqliteException && ex.IsDiskFull()
        ? new StoreFullException($"The database '{DatabasePath}' is full: nothing of the write was stored.", ex)
        : ex;

    /// <summary>A queued write: taken by exactly one batch, or cancelled before any batch took it.</summary>
    private abstract class PendingWrite
    {
        private int _state; // 0 queued, 1 taken, 2 cancelled

        public bool TryTake() => Interlocked.CompareExchange(ref _state, 1, 0) == 0;

        public bool TryCancel() => Interlocked.CompareExchange(ref _state, 2, 0) == 0;

        public abstract void Run(SqliteConnection connection);

        public abstract void Succeed();

        public abstract void Fail(Exception error);
    }

    private sealed class PendingWrite<T>(Func<SqliteConnection, T> work) : PendingWrite
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Completion => _completion.Task;

        public override void Run(SqliteConnection connection) => _result = work(connection);

        public override void Succeed() => _completion.TrySetResult(_result);

        public override void Fail(Exception error) => _completion.TrySetException(error);
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
