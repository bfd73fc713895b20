using Traceability.Domain;

namespace Traceability.Ingestion.Api.Epcis.Subscriptions;

/// <summary>
/// An EPCIS query schedule (REST binding query-schedule.json, EPCIS 1.2 §8.2.5.3): each of
/// second, minute, hour, dayOfMonth, month, dayOfWeek (1 = Monday … 7 = Sunday) is a comma list of
/// numbers and <c>[a-b]</c> ranges; an omitted field matches every value, except second, which is 0.
/// Times are Vietnam time (UTC+7), the time the province works in.
/// </summary>
public sealed class QuerySchedule
{
    private static readonly (string Name, int Min, int Max)[] Fields =
        [("second", 0, 59), ("minute", 0, 59), ("hour", 0, 23), ("dayOfMonth", 1, 31), ("month", 1, 12), ("dayOfWeek", 1, 7)];

    private readonly bool[][] _allowed;

    private QuerySchedule(bool[][] allowed) => _allowed = allowed;

    /// <summary>The schedule, or null with the errors under <c>schedule.{field}</c>.</summary>
    public static QuerySchedule? Parse(JsonElement schedule, ValidationErrors errors)
    {
        if (schedule.ValueKind != JsonValueKind.Object)
        {
            errors.Add("schedule", "Give an object such as {\"hour\": \"1\", \"minute\": \"5\"}.");
            return null;
        }
        var allowed = new bool[Fields.Length][];
        var ok = true;
        foreach (var property in schedule.EnumerateObject())
            if (Array.FindIndex(Fields, f => f.Name == property.Name) < 0)
            {
                errors.Add("schedule." + property.Name, "Not a schedule field: use second, minute, hour, dayOfMonth, month, dayOfWeek.");
                ok = false;
            }
        for (var i = 0; i < Fields.Length; i++)
        {
            var (name, min, max) = Fields[i];
            allowed[i] = new bool[max + 1];
            if (!schedule.TryGetProperty(name, out var value))
            {
                for (var v = min; v <= max; v++) allowed[i][v] = name != "second" || v == 0;
                continue;
            }
            if (value.ValueKind != JsonValueKind.String || !TryFill(value.GetString()!, min, max, allowed[i]))
            {
                errors.Add("schedule." + name, $"Give numbers from {min} to {max} and ranges such as [{min}-{max}], separated by commas.");
                ok = false;
            }
        }
        return ok ? new QuerySchedule(allowed) : null;
    }

    private static bool TryFill(string text, int min, int max, bool[] allowed)
    {
        foreach (var element in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var range = element.StartsWith('[') && element.EndsWith(']') ? element[1..^1].Split('-', StringSplitOptions.TrimEntries) : [element, element];
            if (range.Length != 2 || !int.TryParse(range[0], out var from) || !int.TryParse(range[1], out var to)
                || from < min || to > max || from > to) return false;
            for (var v = from; v <= to; v++) allowed[v] = true;
        }
        return true;
    }

    /// <summary>The first scheduled second after <paramref name="after"/>, or null if none within five years (e.g. 31 February).</summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        var local = after.ToOffset(VietnamTime.Offset);
        var day = new DateTimeOffset(local.Year, local.Month, local.Day, 0, 0, 0, VietnamTime.Offset);
        for (var d = 0; d < 366 * 5; d++, day = day.AddDays(1))
        {
            if (!_allowed[3][day.Day] || !_allowed[4][day.Month] || !_allowed[5][(int)day.DayOfWeek is 0 ? 7 : (int)day.DayOfWeek]) continue;
            for (var h = 0; h < 24; h++)
            {
                if (!_allowed[2][h]) continue;
                for (var m = 0; m < 60; m++)
                {
                    if (!_allowed[1][m]) continue;
                    for (var s = 0; s < 60; s++)
                    {
                        if (!_allowed[0][s]) continue;
                        var at = day.AddHours(h).AddMinutes(m).AddSeconds(s);
                        if (at > after) return at;
                    }
                }
            }
        }
        return null;
    }

    /// <summary>The fields as given, for storing and showing.</summary>
    public static string Canonical(JsonElement schedule) => schedule.GetRawText();
}
