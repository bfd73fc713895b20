namespace Traceability.Storage.Sqlite;

internal static class SqliteErrors
{
    private const int ConstraintPrimaryKey = 1555;
    private const int ConstraintUnique = 2067;
    private const int ConstraintForeignKey = 787;

    public static bool IsUniqueViolation(this SqliteException ex) =>
        ex.SqliteExtendedErrorCode is ConstraintPrimaryKey or ConstraintUnique;

    /// <summary>True when the message names the violated column, e.g. "UNIQUE constraint failed: producers.tax_code".</summary>
    public static bool Names(this SqliteException ex, string tableColumn) =>
        ex.Message.Contains(tableColumn, StringComparison.Ordinal);

    public static bool IsForeignKeyViolation(this SqliteException ex) =>
        ex.SqliteExtendedErrorCode == ConstraintForeignKey;
}
