namespace Traceability.Storage.Sqlite;

// The write queue: every feature store's writes meet here, whatever the feature, so captures,
// catalog edits and outbox updates share transactions (one WAL sync) instead of queuing for the lock.
public sealed partial class SqliteDatabase
{
    private const int MaxWritesPerTransaction = 32;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentQueue<PendingWrite> _pendingWrites = new();

    /// <summary>
    /// Runs <paramref name="work"/> on the writer connection, all or nothing, and returns once it is
    /// committed. Group commit: whoever holds the write lock runs every write queued meanwhile in one
    /// transaction, each inside its own savepoint, so concurrent captures share one WAL sync and write
    /// shared index pages once. A write that throws is rolled back alone and fails alone.
    /// </summary>
    internal async Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, CancellationToken ct,
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

    internal Task WriteAsync(Action<SqliteConnection> work, CancellationToken ct,
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
}
