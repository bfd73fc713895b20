namespace Traceability.Storage.Mongo.Setup;

/// <summary>Bound from `Storage:Mongo` (DESIGN.md §4.1).</summary>
public sealed class MongoStoreOptions
{
    public const string Section = "Storage:Mongo";

    /// <summary>A `mongodb://` or `mongodb+srv://` URL; a replica set is required (captures use transactions).</summary>
    public string? ConnectionString { get; set; }

    public string Database { get; set; } = "traceability";

    /// <summary>
    /// Lets the public lookup reads (a lot's events, locations by identifier) go to secondaries
    /// (`secondaryPreferred`). Off by default: those reads may then lag the primary by the
    /// replication delay, which a consumer page tolerates and a producer's own writes do not.
    /// </summary>
    public bool ReadFromSecondaries { get; set; }
}

/// <summary>Fails the start with the configuration key's name in the message.</summary>
public sealed class MongoStoreOptionsValidator : IValidateOptions<MongoStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, MongoStoreOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add($"{MongoStoreOptions.Section}:ConnectionString is required when Storage:Provider is Mongo (e.g. mongodb://host1,host2,host3/?replicaSet=rs0).");
        }
        else
        {
            try
            {
                _ = MongoUrl.Create(options.ConnectionString);
            }
            catch (MongoConfigurationException ex)
            {
                errors.Add($"{MongoStoreOptions.Section}:ConnectionString is not a valid MongoDB URL: {ex.Message}");
            }
        }
        if (string.IsNullOrWhiteSpace(options.Database) || options.Database.IndexOfAny(['/', '\\', '.', ' ', '"', '$']) >= 0)
        {
            errors.Add($"{MongoStoreOptions.Section}:Database must be a database name without / \\ . space \" or $ (default \"traceability\").");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
