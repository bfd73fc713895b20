using System.Diagnostics;
using System.Security.Cryptography;
using Traceability.Domain.Gs1;
using Traceability.Lookup.Api.Provenance;
using Traceability.ServiceDefaults.Problems;
using Traceability.Storage;

namespace Traceability.Lookup.Api.Recalls;

public sealed record RecallRequest(string? Gtin, IReadOnlyList<string?>? Lots, string? Reason, string? Severity);

public sealed record RecallResponse(string Id, string Gtin, IReadOnlyList<string> Lots, string Reason, string Severity, DateTimeOffset IssuedAt)
{
    public static RecallResponse From(Recall r) => new(r.Id, r.Gtin, r.Lots, r.Reason, r.Severity, r.IssuedAt);
}

/// <summary>Who issues a recall: an authority (admin) or the producer that owns the product.</summary>
public sealed record RecallIssuer(bool IsAdmin, string? ProducerId, string Name);

/// <summary>
/// Issues recalls (DESIGN §4.6): the recall and one outbox row per lot (→ ToChuc_ThuHoi after the
/// lot's own row) in one transaction, then the lots' cached lookups are evicted (on every host, through
/// the change feed) so `recalled` shows at once on the page, the JSON and verify.
/// </summary>
public sealed class RecallService(ICatalogStore catalog, IRecallStore recalls, IEnumerable<IChangeNotifier> notifiers, TimeProvider time)
{
    public static readonly string[] Severities = ["high", "medium", "low"];
    public const int MaxLots = 100;

    public async Task<Outcome<Recall>> IssueAsync(RecallIssuer issuer, RecallRequest r, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (!Gtin.TryParse(r.Gtin, out var gtin, out var gtinError)) errors.Add("gtin", gtinError!);
        var lots = r.Lots ?? [];
        if (lots.Count is 0 or > MaxLots) errors.Add("lots", $"Name 1 to {MaxLots} lots to recall.");
        for (var i = 0; i < lots.Count && i < MaxLots; i++)
            if (!Gs1Syntax.IsValidLot(lots[i], out var lotError)) errors.Add($"lots[{i}]", lotError!);
        if (string.IsNullOrWhiteSpace(r.Reason) || r.Reason.Trim().Length > 1000)
            errors.Add("reason", "The reason is required (at most 1000 characters): consumers and the portal see it.");
        if (r.Severity is null || !Severities.Contains(r.Severity))
            errors.Add("severity", "The severity must be one of: high, medium, low.");
        if (!errors.IsValid) return Outcome<Recall>.Invalid(errors);

        var product = await catalog.GetProductAsync(gtin.Value, ct);
        if (product is null) return Outcome<Recall>.NotFound($"GTIN {gtin.Value} is not registered.");
        if (!issuer.IsAdmin && product.ProducerId != issuer.ProducerId)
            return Outcome<Recall>.Forbidden($"GTIN {gtin.Value} belongs to another producer; only its producer or an authority can recall it.");
        var distinct = lots.Select(l => l!).Distinct(StringComparer.Ordinal).ToList();
        for (var i = 0; i < distinct.Count; i++)
            if (await catalog.GetLotAsync(gtin.Value, distinct[i], ct) is null)
                errors.Add($"lots[{lots.ToList().IndexOf(distinct[i])}]", $"Lot {distinct[i]} of GTIN {gtin.Value} is not registered.");
        if (!errors.IsValid) return Outcome<Recall>.Invalid(errors);

        var recall = new Recall("rc-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), gtin.Value, distinct,
            r.Reason!.Trim(), r.Severity!, issuer.Name, issuer.IsAdmin ? null : issuer.ProducerId, time.GetUtcNow());
        var traceParent = Activity.Current?.Id;
        var announce = distinct.Select(l => LotKey.Of(gtin.Value, l))
            .Select(key => new OutboxMessage(OutboxKind.Recall, RecallKeys.OutboxKey(recall.Id, key), OutboxKind.Lot, key, traceParent))
            .ToList();
        await recalls.AddRecallAsync(recall, announce, ct);
        // Evicted here at once, and on every other host over the store through the change feed.
        foreach (var lot in distinct)
            foreach (var notifier in notifiers) notifier.Changed(LotKey.Of(gtin.Value, lot));
        return Outcome<Recall>.Ok(recall);
    }
}

/// <summary>The status seam of the lookup: a lot named by an active recall is `recalled` (the newest recall is shown).</summary>
public sealed class RecallStatusSource(IRecallStore recalls) : ILotStatusSource
{
    public async ValueTask<StatusFinding?> GetStatusAsync(LotStatusContext context, CancellationToken ct)
    {
        if (context.Lot is null) return null;
        var active = await recalls.GetActiveRecallsForLotAsync(context.Lot.Gtin, context.Lot.LotNumber, ct);
        return active.Count == 0
            ? null
            : new StatusFinding(LotStatus.Recalled, new RecallView(active[0].Reason, active[0].Severity, active[0].IssuedAt));
    }
}
