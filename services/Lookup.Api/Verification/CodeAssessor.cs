namespace Traceability.Lookup.Api.Verification;

/// <summary>What a code comes to, and what it was judged from.</summary>
public sealed record Assessment(Judgement Judgement, ProvenanceView? View, IssuedSerial? Issued, IReadOnlyList<ScanRecord> History);

/// <summary>
/// Gathers the evidence about a scanned code — signature, registration, issued serial, the lot's
/// status, clone signals from the scan log — and judges it with <see cref="VerdictRules"/>. Verify
/// and the public resolver (page, JSON, linkset) both come here, so they cannot disagree.
/// </summary>
public sealed class CodeAssessor(
    ProvenanceCache provenance, ICatalogStore catalog, ISerialStore serials, LabelKeyRing keys,
    TimeProvider time, IOptions<VerifyOptions> options, LookupTelemetry telemetry, IScanStore? scanStore = null)
{
    /// <param name="current">This scan, counted in the history (not written here).</param>
    /// <param name="withHistory">Load the scan history even when no clone check needs it (the inspector's summary).</param>
    public async Task<Assessment> AssessAsync(ScannedCode code, ScanRecord? current, bool withHistory, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var signature = await SignatureAsync(code, ct);
        var gtin = code.Gtin.Value;
        var view = await provenance.GetAsync(gtin, code.Lot, ct);
        var productKnown = view is not null || (code.Lot is not null && await catalog.GetProductAsync(gtin, ct) is not null);
        var issued = view is not null && code.Lot is not null && code.Serial is not null
            ? await serials.GetSerialAsync(gtin, code.Lot, code.Serial, ct)
            : null;

        // Clone signals concern issued serials only: a lot code is legitimately scanned by many people.
        var checksClones = view is not null && code.Serial is not null && (issued is not null || signature.Check == LabelSignature.Check.Valid);
        IReadOnlyList<ScanRecord> history = [];
        if (view is not null && code.Lot is not null && scanStore is not null && (checksClones || withHistory))
        {
            var lotKey = LotKey.Of(gtin, code.Lot);
            var key = code.Serial is null ? lotKey : $"{lotKey}/21/{Uri.EscapeDataString(code.Serial)}";
            var stored = await scanStore.GetScansAsync(key, now.AddDays(-options.Value.ScanWindowDays), ct);
            history = current is null ? stored : [.. stored, current];
        }
        IReadOnlyList<Finding> signals = checksClones
            ? CloneDetector.Signals(history, options.Value, view!.Lot?.ExpiryDate, view.Recall?.IssuedAt)
            : [];
        foreach (var signal in signals) telemetry.ScanAnomalies.Add(1, LookupTelemetry.Tag("kind", signal.Code));

        var judgement = VerdictRules.Judge(new Evidence(
            code,
            signature.Check switch { LabelSignature.Check.Valid => SignatureState.Valid, LabelSignature.Check.Invalid => SignatureState.Invalid, _ => SignatureState.None },
            signature.Check == LabelSignature.Check.Valid ? signature.KeyId : signature.Reason,
            view?.Producer.Name,
            productKnown,
            view is not null,
            issued is not null,
            view?.Status ?? "active",
            view?.Recall is { } r ? new RecallFacts(r.Reason, r.Severity, r.IssuedAt) : null,
            view?.Lot?.ExpiryDate,
            ExpiryStatusSource.TodayInVietnam(now),
            signals));
        return new Assessment(judgement, view, issued, history);
    }

    private async Task<LabelSignature.Result> SignatureAsync(ScannedCode code, CancellationToken ct)
    {
        if (!code.IsDigitalLink || !LabelSignature.TrySplit(code.Text, out _, out var keyId, out _, out var malformed))
            return new(LabelSignature.Check.None, null, null);
        var publicKey = malformed ? null : await keys.PublicKeyAsync(keyId, ct);
        return LabelSignature.Verify(code.Text, _ => publicKey);
    }
}
