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

    private static double MedianOf(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

/// <summary>A case's score (−log10 of the chance of its count on a usual day), the λ it was measured against and, for surges, the robust z.</summary>
public sealed record Scored(double Score, double Baseline, double? Z);

/// <summary>
/// Scores that explain themselves (the live engine and the scenario evaluation use this same code).
/// Counts: the Poisson surprise −log10 P(X ≥ k | λ), λ the mean of the case's own history with the
/// kind's floor. Surges of lookups also need a robust z-score ((k − median) / (1.4826·MAD)) of at
/// least <see cref="MinSurgeZ"/> over an established history (<see cref="MinSurgeHistoryDays"/> days
/// with lookups), so a new product's first busy day, or a popular one's usual day, is not a surge;
/// a surge's score is the smaller of the two.
/// </summary>
public static class Scoring
{
    public const double MinSurgeZ = 6.0;
    public const int MinSurgeHistoryDays = 7;

    public static Scored Score(AlertKind kind, long count, History history, int activeHistoryDays)
    {
        var lambda = Math.Max(kind.Floor, history.Mean);
        var surprise = PoissonSurprise(count, lambda);
        if (!kind.Surge) return new(surprise, lambda, null);
        var z = RobustZ(count, history);
        if (activeHistoryDays < MinSurgeHistoryDays || z < MinSurgeZ) return new(0, lambda, z);
        return new(Math.Min(surprise, z), lambda, z);
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
