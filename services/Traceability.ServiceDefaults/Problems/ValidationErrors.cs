namespace Traceability.ServiceDefaults.Problems;

/// <summary>Collects field errors keyed by path (<c>eventList[2].eventTime</c>).</summary>
public sealed class ValidationErrors : Dictionary<string, string[]>
{
    public ValidationErrors() : base(StringComparer.Ordinal) { }

    public void Add(string field, string message) =>
        this[field] = TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    public bool IsValid => Count == 0;
}
