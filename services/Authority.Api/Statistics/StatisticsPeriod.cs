namespace Traceability.Authority.Api.Statistics;

/// <summary>
/// What a report covers: the Vietnam days <see cref="From"/> to <see cref="To"/> (both included) and
/// one current province, or every province when <see cref="Province"/> is null.
/// </summary>
public sealed record StatisticsPeriod(DateOnly From, DateOnly To, string? Province)
{
    /// <summary>The longest period one report covers (five years and a leap day): keeps a query's work bounded.</summary>
    public const int MaxDays = 5 * 365 + 2;

    /// <summary>The first instant of the period (Vietnam midnight).</summary>
    public DateTimeOffset Start => new(From.ToDateTime(TimeOnly.MinValue), VietnamTime.Offset);

    /// <summary>The first instant after the period.</summary>
    public DateTimeOffset End => new(To.AddDays(1).ToDateTime(TimeOnly.MinValue), VietnamTime.Offset);

    /// <summary>
    /// Parses <c>from</c>, <c>to</c> (yyyy-MM-dd, Vietnam days, both included) and <c>province</c> (one
    /// of the 34 current provinces, any spelling <see cref="ProvinceMap"/> knows; empty = all). A
    /// missing <c>from</c> is 1 January of <paramref name="today"/>'s year, a missing <c>to</c> is today.
    /// </summary>
    public static Outcome<StatisticsPeriod> Parse(string? from, string? to, string? province, DateOnly today)
    {
        var errors = new ValidationErrors();
        var start = Day(from, "from", new DateOnly(today.Year, 1, 1), errors);
        var end = Day(to, "to", today, errors);
        string? current = null;
        if (!string.IsNullOrWhiteSpace(province))
        {
            // A pre-merger name is not a choice: the report is by the provinces in force.
            current = ProvinceMap.Named(province);
            if (current is null)
                errors.Add("province", ProvinceMap.CurrentOf(province) is { } contains
                    ? $"'{province.Trim()}' has been part of {contains} since 1 July 2025: choose {contains} (its records are counted there)."
                    : "The province must be one of the 34 provinces in force since 1 July 2025 (or absent for all).");
        }
        if (errors.IsValid && end < start) errors.Add("to", "The end of the period must not be before its start.");
        if (errors.IsValid && end.DayNumber - start.DayNumber + 1 > MaxDays) errors.Add("to", $"A report covers at most {MaxDays} days.");
        return errors.IsValid ? Outcome<StatisticsPeriod>.Ok(new(start, end, current)) : Outcome<StatisticsPeriod>.Invalid(errors);
    }

    /// <summary>A calendar month, quarter or year (the page's choices).</summary>
    public static (DateOnly From, DateOnly To) Calendar(string kind, int year, int number) => kind switch
    {
        "month" => (new DateOnly(year, number, 1), new DateOnly(year, number, 1).AddMonths(1).AddDays(-1)),
        "quarter" => (new DateOnly(year, number * 3 - 2, 1), new DateOnly(year, number * 3 - 2, 1).AddMonths(3).AddDays(-1)),
        _ => (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31)),
    };

    private static DateOnly Day(string? text, string field, DateOnly fallback, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            && day.Year >= 2000 && day.Year <= 2100)
            return day;
        errors.Add(field, "A date as yyyy-MM-dd (a Vietnam day, between 2000 and 2100).");
        return fallback;
    }
}
