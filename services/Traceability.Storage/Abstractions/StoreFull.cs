namespace Traceability.Storage;

/// <summary>
/// Thrown when a write cannot be stored because the disk (or the database's size limit) is full.
/// Nothing of the write is stored; the services answer 507 Insufficient Storage and the client retries.
/// </summary>
public sealed class StoreFullException(string message, Exception? inner = null) : Exception(message, inner);

public static class DiskFull
{
    private const int SqliteFull = 13;          // SQLITE_FULL: the disk, or max_page_count, is full
    private const int Enospc = 28;              // Linux/macOS: .NET keeps the errno as the IOException's HResult
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>True when <paramref name="error"/> (or an exception inside it) says the storage is full.</summary>
    public static bool IsDiskFull(this Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is StoreFullException) return true;
            if (e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: SqliteFull }) return true;
            if (e is IOException { HResult: Enospc or WindowsDiskFull or WindowsHandleDiskFull }) return true;
        }
        return false;
    }
}
