namespace Traceability.ProducerConsole.Web;

/// <summary>Field errors keyed like the services' Outcome.Errors ("name.vi", "gtin").</summary>
public sealed class FieldErrors : Dictionary<string, string[]>
{
    public FieldErrors() : base(StringComparer.Ordinal) { }

    public FieldErrors(IReadOnlyDictionary<string, string[]>? errors) : this()
    {
        foreach (var (k, v) in errors ?? new Dictionary<string, string[]>()) this[k] = v;
    }

    public void Add(string field, string message) =>
        this[field] = TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    /// <summary>Messages for a field and its sub-paths ("standards" also shows "standards[2]").</summary>
    public IEnumerable<string> For(string field) => this.Where(e => Covers(field, e.Key)).SelectMany(e => e.Value);

    /// <summary>Messages of no field among <paramref name="shown"/> (the form's summary lists them).</summary>
    public IEnumerable<string> Besides(IReadOnlyCollection<string> shown) =>
        this.Where(e => !shown.Any(f => Covers(f, e.Key))).SelectMany(e => e.Value);

    public int MessageCount => Values.Sum(v => v.Length);

    private static bool Covers(string field, string key) =>
        key == field || key.StartsWith(field + "[", StringComparison.Ordinal) || key.StartsWith(field + ".", StringComparison.Ordinal);
}
