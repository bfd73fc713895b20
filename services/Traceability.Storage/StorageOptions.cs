namespace Traceability.Storage;

/// <summary>Which store the services run on and where it keeps its data. Bound from "Storage".</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>"Sqlite" (default, embedded) or "Mongo" (scale-out).</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>Where the embedded store keeps its database file (and the host its generated keys).</summary>
    public string DataDirectory { get; set; } = "./data";

    public MongoStorageOptions Mongo { get; set; } = new();
}

public sealed class MongoStorageOptions
{
    public string? ConnectionString { get; set; }
    public string Database { get; set; } = "traceability";
}
