namespace Traceability.Authority.Api.EarlyWarning;

/// <summary>
/// A counter cell's history: its daily counts over the <c>EarlyWarning:HistoryDays</c> days before the
/// scored day, cached per day (past days do not change; bounded: <see cref="BoundedCache{TKey,TValue}"/>).
/// </summary>
public sealed class CaseHistories(IEarlyWarningStore store, IOptions<EarlyWarningOptions> options)
{
    private const int MaxCached = 100_000;
    private readonly BoundedCache<(string, string, string, string, DateOnly), (History History, int ActiveDays, long[] Daily)> _cache = new(MaxCached);

    public async Task<(History History, int ActiveDays, long[] Daily)> OfAsync(string signal, string gtin, string lot, string province, DateOnly day, CancellationToken ct)
    {
        var key = (signal, gtin, lot, province, day);
        if (_cache.TryGetValue(key, out var known)) return known;
        var days = options.Value.HistoryDays;
        var from = day.AddDays(-days);
        var rows = await store.GetSignalCountsAsync(signal, gtin, lot, province, from, day.AddDays(-1), ct);
        var daily = new long[days];
        foreach (var r in rows) daily[r.Day.DayNumber - from.DayNumber] += r.Count;
        var result = (History.Of(daily), daily.Count(c => c > 0), daily);
        _cache.Set(key, result);
        return result;
    }
}

/// <summary>
/// The second look at a case that passed the threshold on its own history (so the extra reads are
/// rare and the live path stays cheap): for a product-level case, similar products' history
/// (<see cref="CaseFacts.PeersOfAsync"/>: a case too new to have its own borrows theirs, and their
/// common rise today raises the baseline — Tết lifts every product); for a lookup surge, a risk
/// signal about the same product in the same province that day (codes never issued, lookups far
/// from shipping, after recall or expiry, inspections with violations, copied serials or complaints).
/// A surge alone is popularity — a lot shared on social media, a shop scanning its own stock — not a risk.
/// </summary>
public sealed class CaseReview(IEarlyWarningStore store, CaseHistories histories, CaseFacts facts)
{
    /// <summary>The signals that make a lookup surge worth an alert, and whether they are counted per province (else under "").</summary>
    private static readonly (AlertKind Kind, bool PerProvince)[] Corroborating =
    [
        (AlertKinds.UnknownCodes, true), (AlertKinds.FarFromShipping, true), (AlertKinds.AfterRecall, true), (AlertKinds.AfterExpiry, true),
        (AlertKinds.InspectionViolations, true), (AlertKinds.CloneSerials, false), (AlertKinds.ComplaintSurge, false),
    ];

    /// <summary>The case's score after the second look, and the history its reason should quote (its own or the borrowed one).</summary>
    public async Task<(History History, Scored Scored)> RescoreAsync(AlertKind kind, SignalCount cell, History history, int activeDays,
        double dayFraction, CancellationToken ct)
    {
        var peers = kind.LotLevel ? null : await PeersAsync(kind, cell, ct);
        var scored = Scoring.Score(kind, cell.Count, history, activeDays, peers, dayFraction);
        if (scored.Borrowed) history = peers!.Typical;
        if (kind.Surge && scored.Score > 0 && !await CorroboratedAsync(cell, ct)) scored = scored with { Score = 0 };
        return (history, scored);
    }

    private async Task<Peers?> PeersAsync(AlertKind kind, SignalCount cell, CancellationToken ct)
    {
        var gtins = await facts.PeersOfAsync(cell.Gtin, ct);
        if (gtins.Count == 0) return null;
        long[]? typical = null;
        var rises = new List<(double Today, double Usual)>(gtins.Count);
        foreach (var gtin in gtins)
        {
            var (history, _, daily) = await histories.OfAsync(kind.Signal, gtin, "", cell.Province, cell.Day, ct);
            typical ??= new long[daily.Length];
            for (var d = 0; d < daily.Length; d++) typical[d] += daily[d];
            var today = (await store.GetSignalCountsAsync(kind.Signal, gtin, "", cell.Province, cell.Day, cell.Day, ct)).Sum(c => c.Count);
            rises.Add((today, history.Mean));
        }
        // The typical peer's day: the peers' sum over their number, rounded to whole counts as History expects.
        var perPeer = typical!.Select(c => (long)Math.Round(c / (double)gtins.Count)).ToArray();
        return new Peers(gtins.Count, History.Of(perPeer), perPeer.Count(c => c > 0), Peers.RiseOf(rises));
    }

    private async Task<bool> CorroboratedAsync(SignalCount cell, CancellationToken ct)
    {
        foreach (var (kind, perProvince) in Corroborating)
        {
            var counts = await store.GetSignalCountsAsync(kind.Signal, cell.Gtin, kind.LotLevel ? null : "", perProvince ? cell.Province : "", cell.Day, cell.Day, ct);
            if (counts.Any(c => c.Count > 0)) return true;
        }
        return false;
    }
}
