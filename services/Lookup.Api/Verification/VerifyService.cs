using System.Globalization;
using Microsoft.Extensions.Options;
using Traceability.Domain.DigitalLinks;
using Traceability.Lookup.Api.Provenance;
using Traceability.Lookup.Api.Scans;
using Traceability.Lookup.Api.Signing;
using Traceability.ServiceDefaults.Problems;
using Traceability.Storage;

namespace Traceability.Lookup.Api.Verification;

/// <summary>
/// Turns a scanned text into a verdict (DESIGN §4.5). Every finding is collected as a reason; the
/// verdict is the most severe one, in this precedence: invalid_signature (a signature present that
/// does not verify), unknown, recalled, suspended, expired, suspicious, authentic.
/// </summary>
public sealed class VerifyService(
    ProvenanceCache provenance, ICatalogStore catalog, IAccountStore accounts, ISerialStore serials, LabelKeyRing keys,
    ScanLog scanLog, UnknownCodeAlerts alerts, TimeProvider time, IOptions<VerifyOptions> options, LookupTelemetry telemetry,
    IScanStore? scanStore = null)
{
    private static readonly string[] Precedence =
        [Verdicts.InvalidSignature, Verdicts.Unknown, Verdicts.Recalled, Verdicts.Suspended, Verdicts.Expired, Verdicts.Suspicious];

    public async Task<Outcome<VerifyResponse>> VerifyAsync(VerifyRequest request, bool inspector, string baseUrl, CancellationToken ct)
    {
        if (!ScannedCode.TryParse(request.Code, out var code, out var error))
            return Outcome<VerifyResponse>.Invalid("code", error!);
        var now = time.GetUtcNow();
        var province = Provinces.Find(request.Province)?.Name;
        var reasons = new List<VerifyReason>();
        var verdicts = new HashSet<string>(StringComparer.Ordinal);

        // 1. Signature: checked first, and decisive when it fails.
        var signature = new LabelSignature.Result(LabelSignature.Check.None, null, null);
        if (code.IsDigitalLink && LabelSignature.TrySplit(code.Text, out _, out var keyId, out _, out var malformed))
        {
            var publicKey = malformed ? null : await keys.PublicKeyAsync(keyId, ct);
            signature = LabelSignature.Verify(code.Text, _ => publicKey);
        }
        if (signature.Check == LabelSignature.Check.Invalid)
        {
            verdicts.Add(Verdicts.InvalidSignature);
            reasons.Add(new(ReasonCodes.SignatureInvalid, signature.Reason!));
        }
        else if (signature.Check == LabelSignature.Check.Valid)
        {
            reasons.Add(new(ReasonCodes.SignatureValid, $"The label's signature is valid (key {signature.KeyId})."));
        }

        // 2. Registration.
        var gtin = code.Gtin.Value;
        var view = await provenance.GetAsync(gtin, code.Lot, ct);
        if (view is null)
        {
            verdicts.Add(Verdicts.Unknown);
            var productKnown = code.Lot is not null && await catalog.GetProductAsync(gtin, ct) is not null;
            reasons.Add(productKnown
                ? new(ReasonCodes.LotNotRegistered, $"GTIN {gtin} is registered, but its lot {code.Lot} is not: the package may be counterfeit.")
                : new(ReasonCodes.ProductNotRegistered, $"GTIN {gtin} is not registered in the traceability system: the package may be counterfeit."));
            if (code.Lot is null || !productKnown) await alerts.RecordUnknownAsync(gtin, province, now, ct);
            return Outcome<VerifyResponse>.Ok(Respond(verdicts, reasons, code, null, null));
        }

        IssuedSerial? issued = null;
        if (code.Serial is not null)
        {
            issued = code.Lot is null ? null : await serials.GetSerialAsync(gtin, code.Lot, code.Serial, ct);
            if (issued is null && signature.Check != LabelSignature.Check.Valid)
            {
                verdicts.Add(Verdicts.Unknown);
                reasons.Add(new(ReasonCodes.SerialNotIssued, $"Serial {code.Serial} was never issued for this lot: the label may be forged."));
            }
            else if (issued is not null && signature.Check == LabelSignature.Check.None)
            {
                verdicts.Add(Verdicts.Suspicious);
                reasons.Add(new(ReasonCodes.SignatureMissing, "This serial was issued on a signed label, but the scanned code carries no signature: the label was copied by hand or reprinted."));
            }
        }

        // 3. Status (recall, suspension, expiry) exactly as the public lookup shows it.
        switch (view.Status)
        {
            case "recalled":
                verdicts.Add(Verdicts.Recalled);
                reasons.Add(new(ReasonCodes.Recalled, $"The lot was recalled on {view.Recall?.IssuedAt:yyyy-MM-dd} ({view.Recall?.Severity}): {view.Recall?.Reason}"));
                break;
            case "suspended":
                verdicts.Add(Verdicts.Suspended);
                reasons.Add(new(ReasonCodes.ProducerSuspended, "The producer's registration is suspended by the authority."));
                break;
            case "expired":
                verdicts.Add(Verdicts.Expired);
                reasons.Add(new(ReasonCodes.Expired, string.Create(CultureInfo.InvariantCulture, $"The lot expired on {view.Lot?.ExpiryDate:yyyy-MM-dd}.")));
                break;
        }
        if (code.Expiry is { } printed)
        {
            if (view.Lot?.ExpiryDate is { } registered && registered != printed)
            {
                verdicts.Add(Verdicts.Suspicious);
                reasons.Add(new(ReasonCodes.ExpiryMismatch, string.Create(CultureInfo.InvariantCulture,
                    $"The code says it expires on {printed:yyyy-MM-dd}, but the lot was registered to expire on {registered:yyyy-MM-dd}.")));
            }
            else if (printed < ExpiryStatusSource.TodayInVietnam(now) && view.Status != "expired")
            {
                verdicts.Add(Verdicts.Expired);
                reasons.Add(new(ReasonCodes.Expired, string.Create(CultureInfo.InvariantCulture, $"The code's expiry date {printed:yyyy-MM-dd} has passed.")));
            }
        }

        // 4. Clone signals from the scan log (serialised codes), this scan included.
        IReadOnlyList<ScanRecord> history = [];
        if (code.Lot is not null && scanStore is not null)
        {
            var lotKey = LotKey.Of(gtin, code.Lot);
            var key = code.Serial is null ? lotKey : $"{lotKey}/21/{code.Serial}";
            var current = new ScanRecord(now, lotKey, code.Serial, province, "verify");
            // The history feeds the clone signals of an issued serial and the inspector's summary;
            // a consumer's lot code needs neither (and a popular lot's history only grows).
            var checksClones = code.Serial is not null && issued is not null;
            if (checksClones || inspector)
                history = [.. await scanStore.GetScansAsync(key, now.AddDays(-options.Value.ScanWindowDays), ct), current];
            if (checksClones)
            {
                var signals = CloneDetector.Signals(history, options.Value, view.Lot?.ExpiryDate, view.Recall?.IssuedAt);
                if (signals.Count > 0) verdicts.Add(Verdicts.Suspicious);
                reasons.AddRange(signals);
                foreach (var signal in signals) telemetry.ScanAnomalies.Add(1, LookupTelemetry.Tag("kind", signal.Code));
            }
            scanLog.Record(current);
        }

        if (verdicts.Count == 0)
            reasons.Add(new(ReasonCodes.Registered, code.Lot is null
                ? "The product is registered (scan a code with a lot for a full check)."
                : "The product and lot are registered and active."));

        var response = Respond(verdicts, reasons, code, view, issued?.Serial ?? code.Serial);
        if (inspector) response = response with { Inspection = await InspectionAsync(gtin, history, now, ct) };
        return Outcome<VerifyResponse>.Ok(response with
        {
            Product = response.Product! with { DigitalLink = baseUrl + response.Product.DigitalLink },
        });
    }

    /// <summary>The response of every verify (each returns through here once), counted by verdict.</summary>
    private VerifyResponse Respond(HashSet<string> verdicts, List<VerifyReason> reasons, ScannedCode code, ProvenanceView? view, string? serial)
    {
        var verdict = Precedence.FirstOrDefault(verdicts.Contains) ?? Verdicts.Authentic;
        telemetry.Verdicts.Add(1, LookupTelemetry.Tag("verdict", verdict));
        VerifiedProduct? product = view is null ? null : new VerifiedProduct(view.Product.Gtin, view.Product.Name, view.Product.Brand,
            view.Product.ImageUrl, view.Producer, new DigitalLink(code.Gtin, Lot: code.Lot, Serial: serial).Path);
        return new VerifyResponse(verdict, reasons, code.Text, product, view?.Lot, serial, view?.Status, view?.Recall, null);
    }

    private async Task<InspectorDetail?> InspectionAsync(string gtin, IReadOnlyList<ScanRecord> history, DateTimeOffset now, CancellationToken ct)
    {
        var product = await catalog.GetProductAsync(gtin, ct);
        var producer = product is null ? null : await accounts.GetProducerAsync(product.ProducerId, ct);
        if (producer is null) return null;
        var summary = new ScanSummary(history.Count, history.Count(s => s.Time >= now.AddHours(-24)),
            history.Count == 0 ? null : history.Min(s => s.Time), history.Count == 0 ? null : history.Max(s => s.Time),
            history.Where(s => s.Province is not null).GroupBy(s => s.Province!)
                .Select(g => new ProvinceCount(g.Key, g.Count())).OrderByDescending(p => p.Count).ThenBy(p => p.Province, StringComparer.Ordinal).ToList());
        return new InspectorDetail(summary, new ProducerContact(producer.Name, producer.TaxCode, producer.Address, producer.Province,
            producer.Phone, producer.Email));
    }
}
