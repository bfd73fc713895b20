namespace Traceability.Domain.EarlyWarning;

/// <summary>A case's history: its daily counts over the baseline window (missing days are 0).</summary>
public sealed record History(int Days, double Mean, long Min, long Max, double Median, double Mad)
{
    public static readonly History Empty = new(0, 0, 0, 0, 0, 0);

    public static History Of(IReadOnlyList<long> daily)
    {
        if (daily.Count == 0) return Empty;
        var sorted = daily.Order().ToArray();
        var median = MedianOf(sorted.Select(v => (double)v).ToArray());
        var mad = MedianOf(sorted.Select(v => Math.Abs(v - median)).Order().ToArray());
        return new(sorted.Length, sorted.Average(), sorted[0], sorted[^1], median, mad);
    }

    /// <summary>The history as it would be with every day's count times <paramref name="factor"/> (peers' common rise).</summary>
    public History Scaled(double factor) =>
        factor == 1 ? this : new(Days, Mean * factor, (long)Math.Floor(Min * factor), (long)Math.Ceiling(Max * factor), Median * factor, Mad * factor);

    private static double MedianOf(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

/// <summary>
/// What similar products (the same producer's, the same category's) show for a case's signal in its
/// province: their typical product's daily history (the mean over peers of each day's count), on how
/// many days they had any, and their common rise today (<see cref="RiseOf"/>: a rise of every product
/// at once — Tết — explains a product's rise).
/// </summary>
public sealed record Peers(int Count, History Typical, int ActiveDays, double Uplift)
{
    /// <summary>Peers' usual sums below this many a day are too small to tell a common rise from noise.</summary>
    public const double MinUsualForUplift = 5;

    /// <summary>
    /// The common rise: the median over established peers (a usual mean of at least 1 a day) of their
    /// count so far today over their usual daily mean, never below 1 — the median, so one peer's own
    /// incident or a new peer's launch does not explain away another's; 1 when the peers' usual sum is
    /// under <see cref="MinUsualForUplift"/>.
    /// </summary>
    public static double RiseOf(IEnumerable<(double Today, double Usual)> peers)
    {
        var established = peers.Where(p => p.Usual >= 1).ToList();
        if (established.Sum(p => p.Usual) < MinUsualForUplift) return 1;
        var ratios = established.Select(p => p.Today / p.Usual).Order().ToArray();
        var median = ratios.Length % 2 == 1 ? ratios[ratios.Length / 2] : (ratios[ratios.Length / 2 - 1] + ratios[ratios.Length / 2]) / 2;
        return Math.Max(1, median);
    }
}

/// <summary>
/// A case's score (−log10 of the chance of its count on a usual day), the λ it was measured against,
/// for surges the robust z, the peers' common rise allowed for, and whether the baseline was borrowed
/// from the peers (a case too new to have its own).
/// </summary>
public sealed record Scored(double Score, double Baseline, double? Z, double Uplift = 1, bool Borrowed = false);

/// <summary>
/// Scores that explain themselves (the live engine and the scenario evaluation use this same code).
/// Counts: the Poisson surprise −log10 P(X ≥ k | λ), λ the mean of the case's own history with the
/// kind's floor. Surges of lookups also need a robust z-score ((k − median) / (1.4826·MAD)) of at
/// least <see cref="MinSurgeZ"/> over an established history (<see cref="MinSurgeHistoryDays"/> days
/// with lookups), so a new product's first busy day, or a popular one's usual day, is not a surge;
/// a surge's score is the smaller of the two.
/// With <see cref="Peers"/> (similar products' history, read only for a case that passed on its own):
/// a case without an established history of its own (fewer than <see cref="MinSurgeHistoryDays"/>
/// active days) borrows its peers' typical history when theirs is established, and the baseline is
/// raised by the peers' common rise today — so a new product is measured against its kind, and a
/// season that lifts every product (Tết) is not a surge of each.
/// </summary>
public static class Scoring
{
    public const double MinSurgeZ = 6.0;
    public const int MinSurgeHistoryDays = 7;

    /// <summary>The least part of a day a count so far today is measured against (6 hours): a few scans after midnight are not a day's worth.</summary>
    public const double MinDayFraction = 0.25;

    /// <summary>
    /// How much of the case's Vietnam day has passed at <paramref name="now"/> (at least <see cref="MinDayFraction"/>,
    /// 1 for a past day): a count of rare events so far today is measured against that part of a usual
    /// day, so five codes never issued by 9:00 are an alert then, not only by the evening.
    /// </summary>
    public static double DayFraction(DateTimeOffset now, DateOnly day) =>
        Math.Clamp((now - VietnamTime.StartOf(day)).TotalHours / 24, MinDayFraction, 1);

    /// <summary>
    /// The score of a day's count so far. <paramref name="dayFraction"/> (<see cref="DayFraction"/>)
    /// scales the Poisson baseline of the rare-event kinds; a surge's baseline stays a whole day's
    /// (conservative: popularity follows opening hours, and a surge needs corroboration anyway).
    /// </summary>
    public static Scored Score(AlertKind kind, long count, History history, int activeHistoryDays, Peers? peers = null, double dayFraction = 1)
    {
        // Borrowing never makes a case look more surprising than its own short history says.
        var borrowed = peers is { Count: > 0, ActiveDays: >= MinSurgeHistoryDays } && activeHistoryDays < MinSurgeHistoryDays
            && peers.Typical.Mean >= history.Mean;
        if (borrowed)
        {
            history = peers!.Typical;
            activeHistoryDays = peers.ActiveDays;
        }
        var uplift = peers?.Uplift ?? 1;
        history = history.Scaled(uplift);
        var lambda = Math.Max(kind.Floor, history.Mean) * (kind.Surge ? 1 : dayFraction);
        var surprise = PoissonSurprise(count, lambda);
        if (!kind.Surge) return new(surprise, lambda, null, uplift, borrowed);
        var z = RobustZ(count, history);
        if (activeHistoryDays < MinSurgeHistoryDays || z < MinSurgeZ) return new(0, lambda, z, uplift, borrowed);
        return new(Math.Min(surprise, z), lambda, z, uplift, borrowed);
    }

    /// <summary>(k − median) / (1.4826·MAD), the MAD floored at 1 so a flat history is not infinitely sure.</summary>
    public static double RobustZ(long count, History history) =>
        (count - history.Median) / (1.4826 * Math.Max(history.Mad, 1.0));

    /// <summary>−log10 P(X ≥ k) for X ~ Poisson(λ), computed in log space (stays finite for k far above λ).</summary>
    public static double PoissonSurprise(long k, double lambda)
    {
        if (k <= 0) return 0;
        if (lambda <= 0) return double.PositiveInfinity;
        double logTail;
        if (k <= lambda)
        {
            // The tail is large: 1 − P(X < k), without cancellation trouble.
            double cdf = 0, term = Math.Exp(-lambda);
            for (long i = 0; i < k; i++)
            {
                cdf += term;
                term *= lambda / (i + 1);
            }
            logTail = Math.Log(Math.Max(1 - cdf, double.Epsilon));
        }
        else
        {
            // Terms fall from k on (λ < k): sum term ratios after the first, in log space.
            var logFirst = -lambda + k * Math.Log(lambda) - LogFactorial(k);
            double sum = 1, ratio = 1;
            for (var i = k + 1; i < k + 10_000; i++)
            {
                ratio *= lambda / i;
                sum += ratio;
                if (ratio < 1e-17 * sum) break;
            }
            logTail = logFirst + Math.Log(sum);
        }
        return Math.Max(0, -logTail / Math.Log(10));
    }

    private static double LogFactorial(long n)
    {
        if (n < 2) return 0;
        if (n < 256)
        {
            double s = 0;
            for (var i = 2; i <= n; i++) s += Math.Log(i);
            return s;
        }
        // Stirling's series: exact to ~1e-12 from here.
        var x = (double)n;
        return x * Math.Log(x) - x + 0.5 * Math.Log(2 * Math.PI * x) + 1 / (12 * x) - 1 / (360 * x * x * x);
    }
}
