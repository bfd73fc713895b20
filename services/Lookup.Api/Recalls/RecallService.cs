using Traceability.Domain.Gs1;

namespace Traceability.Lookup.Api.Recalls;

public sealed record RecallRequest(string? Gtin, IReadOnlyList<string?>? Lots, string? Reason, string? Severity);

public sealed record RecallEndRequest(string? Reason);

/// <summary>A recall as the API shows it: status <c>active</c> or <c>ended</c> (with when and why).</summary>
public sealed record RecallResponse(string Id, string Gtin, IReadOnlyList<string> Lots, string Reason, string Severity, DateTimeOffset IssuedAt,
    string Status, DateTimeOffset? EndedAt, string? EndReason)
{
    public static RecallResponse From(Recall r) => new(r.Id, r.Gtin, r.Lots, r.Reason, r.Severity, r.IssuedAt,
        r.IsActive ? "active" : "ended", r.LiftedAt, r.EndReason);
}

/// <summary>
/// Who issues or ends a recall: the authority (IsAuthority: an admin or officer, any product) or the
/// producer that owns the product. Name is the audit log's actor.
/// </summary>
public sealed record RecallIssuer(bool IsAuthority, string? ProducerId, string Name);

/// <summary>
/// Issues recalls (DESIGN §4.6): the recall and one outbox row per lot (→ ToChuc_ThuHoi after the
/// lot's own row) in one transaction, then the lots' cached lookups are evicted (on every host, through
/// the change feed) so `recalled` shows at once on the page, the JSON and verify. Ending a recall
/// takes the same path back: the lots' cached answers are evicted and they show their other status.
/// Both are written to the audit log (who, when, what, why).
/// </summary>
public sealed class RecallService(ICatalogStore catalog, IRecallStore recalls, IAuditStore audit, IEnumerable<IChangeNotifier> notifiers,
    TimeProvider time)
{
    public static readonly string[] Severities = ["high", "medium", "low"];
    public const int MaxLots = 100;
    public const int MaxReason = 1000;

    /// <summary>The request's own rules (no store read): what a form checks before asking for confirmation.</summary>
    public static IReadOnlyDictionary<string, string[]> Check(RecallRequest r) => Validate(r, out _);

    private static ValidationErrors Validate(RecallRequest r, out Gtin gtin)
    {
        var errors = new ValidationErrors();
        if (!Gtin.TryParse(r.Gtin, out gtin, out var gtinError)) errors.Add("gtin", gtinError!);
        var lots = r.Lots ?? [];
        if (lots.Count is 0 or > MaxLots) errors.Add("lots", $"Name 1 to {MaxLots} lots to recall.");
        for (var i = 0; i < lots.Count && i < MaxLots; i++)
            if (!Gs1Syntax.IsValidLot(lots[i], out var lotError)) errors.Add($"lots[{i}]", lotError!);
        if (string.IsNullOrWhiteSpace(r.Reason) || r.Reason.Trim().Length > MaxReason)
            errors.Add("reason", $"The reason is required (at most {MaxReason} characters): consumers and the portal see it.");
        if (r.Severity is null || !Severities.Contains(r.Severity))
            errors.Add("severity", "The severity must be one of: high, medium, low.");
        return errors;
    }

    public async Task<Outcome<Recall>> IssueAsync(RecallIssuer issuer, RecallRequest r, CancellationToken ct)
    {
        var errors = Validate(r, out var gtin);
        if (!errors.IsValid) return Outcome<Recall>.Invalid(errors);
        var lots = r.Lots ?? [];

        var product = await catalog.GetProductAsync(gtin.Value, ct);
        if (product is null) return Outcome<Recall>.NotFound($"GTIN {gtin.Value} is not registered.");
        if (!issuer.IsAuthority && product.ProducerId != issuer.ProducerId)
            return Outcome<Recall>.Forbidden($"GTIN {gtin.Value} belongs to another producer; only its producer or an authority can recall it.");
        var distinct = lots.Select(l => l!).Distinct(StringComparer.Ordinal).ToList();
        for (var i = 0; i < distinct.Count; i++)
            if (await catalog.GetLotAsync(gtin.Value, distinct[i], ct) is null)
                errors.Add($"lots[{lots.ToList().IndexOf(distinct[i])}]", $"Lot {distinct[i]} of GTIN {gtin.Value} is not registered.");
        if (!errors.IsValid) return Outcome<Recall>.Invalid(errors);

        var recall = new Recall("rc-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), gtin.Value, distinct,
            r.Reason!.Trim(), r.Severity!, issuer.Name, issuer.IsAuthority ? null : issuer.ProducerId, time.GetUtcNow());
        var traceParent = Activity.Current?.Id;
        var announce = distinct.Select(l => LotKey.Of(gtin.Value, l))
            .Select(key => new OutboxMessage(OutboxKind.Recall, RecallKeys.OutboxKey(recall.Id, key), OutboxKind.Lot, key, traceParent))
            .ToList();
        await recalls.AddRecallAsync(recall, announce, ct);
        // After the fact (the store writes the recall and its outbox rows in a transaction of their
        // own): a crash in between leaves a recall without its entry, never an entry without a recall.
        await audit.AddAuditAsync(AuditEntry.New(recall.IssuedAt, issuer.Name, "recall.issue", Target(recall.Id), recall.Reason,
            $"{recall.Gtin}: {string.Join(", ", recall.Lots)} ({recall.Severity})"), ct);
        Announce(recall);
        return Outcome<Recall>.Ok(recall);
    }

    /// <summary>
    /// Ends an active recall with a reason: its lots return to their other status (active, expired,
    /// suspended…) on the page, the JSON, verify and the warnings feed. A producer ends only the
    /// recalls it issued; the authority ends any.
    /// </summary>
    public async Task<Outcome<Recall>> EndAsync(RecallIssuer issuer, string id, string? reason, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > MaxReason)
            return Outcome<Recall>.Invalid("reason", $"The reason for ending the recall is required (at most {MaxReason} characters).");
        var recall = await recalls.GetRecallAsync(id, ct);
        if (recall is null) return Outcome<Recall>.NotFound($"There is no recall '{id}'.");
        // Recalls are public (GET /api/v1/recalls/{id}): saying whose it is reveals nothing.
        if (!issuer.IsAuthority && recall.ProducerId != issuer.ProducerId)
            return Outcome<Recall>.Forbidden(recall.ProducerId is null
                ? $"Recall {id} was issued by the authority; only the authority can end it."
                : $"Recall {id} was issued by another producer; only that producer or the authority can end it.");
        var now = time.GetUtcNow();
        var entry = AuditEntry.New(now, issuer.Name, "recall.end", Target(id), reason.Trim(), $"{recall.Gtin}: {string.Join(", ", recall.Lots)}");
        if (!await recalls.EndRecallAsync(id, now, issuer.Name, reason.Trim(), entry, ct))
            return Outcome<Recall>.Conflict($"Recall {id} has already ended.");
        var ended = recall with { LiftedAt = now, EndedBy = issuer.Name, EndReason = reason.Trim() };
        Announce(ended);
        return Outcome<Recall>.Ok(ended);
    }

    /// <summary>The audit log's target for a recall.</summary>
    public static string Target(string recallId) => "recall:" + recallId;

    // Evicted here at once, and on every other host over the store through the change feed.
    private void Announce(Recall recall)
    {
        foreach (var lot in recall.Lots)
            foreach (var notifier in notifiers) notifier.Changed(LotKey.Of(recall.Gtin, lot));
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
