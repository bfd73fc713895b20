namespace Traceability.Storage;

// The errors every provider raises the same way; the services map them to status codes.

/// <summary>Thrown when a natural key (GTIN, lot, producer tax code, …) already exists.</summary>
public sealed class DuplicateKeyException(string message) : Exception(message);

/// <summary>Thrown when the store cannot be opened (e.g. the data directory is not writable).</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
