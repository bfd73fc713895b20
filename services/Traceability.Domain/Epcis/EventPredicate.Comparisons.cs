namespace Traceability.Domain.Epcis;

public sealed partial class EventPredicate
{
    /// <summary>A query value: a number, a time with its offset, or (EQ_ only) text.</summary>
    private readonly record struct Bound(string Text, decimal? Number, DateTimeOffset? Time);

    /// <param name="numeric">true: numbers only; false: times only; null: either (and for EQ_ any text).</param>
    private static bool TryBounds(Op op, IReadOnlyList<string> values, bool? numeric, out Bound[] bounds, out string? error)
    {
        bounds = [.. values.Select(v => new Bound(v,
            decimal.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null,
            EpcisJson.TryParseTime(v, out var t, out _) ? t : null))];
        error = null;
        if (bounds.Length == 0) error = "Give a value.";
        else if (op != Op.Eq && bounds.Length > 1) error = "Give one value (a list is only for EQ_).";
        else if (numeric == true && bounds.FirstOrDefault(b => b.Number is null) is { Text: { } notNumber })
            error = $"'{notNumber}' is not a number.";
        else if (numeric == false && bounds.FirstOrDefault(b => b.Time is null) is { Text: { } notTime })
            error = $"'{notTime}' is not a date-time with its offset (e.g. 2026-05-01T08:00:00+07:00).";
        else if (numeric is null && op != Op.Eq && bounds[0] is { Number: null, Time: null })
            error = $"'{bounds[0].Text}' is neither a number nor a date-time with its offset: {OpName(op)} compares numbers or times.";
        return error is null;
    }

    private static string OpName(Op op) => op.ToString().ToUpperInvariant() + "_";

    private static bool Compare(Op op, decimal value, decimal? bound) => bound is { } b && Compare(op, value.CompareTo(b));

    private static bool Compare(Op op, DateTimeOffset value, DateTimeOffset? bound) => bound is { } b && Compare(op, value.CompareTo(b));

    private static bool Compare(Op op, int order) => op switch
    {
        Op.Eq => order == 0,
        Op.Gt => order > 0,
        Op.Ge => order >= 0,
        Op.Lt => order < 0,
        Op.Le => order <= 0,
        _ => false,
    };

    /// <summary>An extension field's value against a query value: as numbers or times when both read as such, else (EQ_) as text.</summary>
    private static bool Matches(Op op, string value, Bound bound)
    {
        if (bound.Number is { } n && decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            return Compare(op, v, n);
        if (bound.Time is { } t && EpcisJson.TryParseTime(value, out var time, out _))
            return Compare(op, time, t);
        return op == Op.Eq && string.Equals(value, bound.Text, StringComparison.Ordinal);
    }
}
