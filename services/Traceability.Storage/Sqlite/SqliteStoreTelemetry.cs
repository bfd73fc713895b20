using System.Diagnostics;

namespace Traceability.Storage.Sqlite;

/// <summary>
/// One span per write transaction (lock wait included, so writer contention shows in traces),
/// named after the store method. Reads are not traced: they are many and short.
/// </summary>
internal static class SqliteStoreTelemetry
{
    public const string Name = "Traceability.Storage.Sqlite";
    public static readonly ActivitySource Source = new(Name);

    public static Activity? StartWrite(string operation)
    {
        var activity = Source.StartActivity("sqlite " + operation, ActivityKind.Client);
        activity?.SetTag("db.system.name", "sqlite");
        activity?.SetTag("db.operation.name", operation);
        return activity;
    }
}
