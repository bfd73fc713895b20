using Traceability.Domain;
using Traceability.Domain.DigitalLinks;

namespace Traceability.Domain.Verification;

public enum SignatureState { None, Valid, Invalid }

/// <summary>A recall as the verdict needs it.</summary>
public sealed record RecallFacts(string Reason, string Severity, DateTimeOffset IssuedAt);

/// <summary>
/// Everything known about a scanned code, gathered by the caller (verify, the resolver). Status is
/// the lot's (or product's) status as the public lookup computes it: active, recalled, expired or suspended.
/// </summary>
public sealed record Evidence(
    ScannedCode Code,
    SignatureState Signature,
    string? SignatureDetail, // the key id when valid; malformed | unknown_key | mismatch when invalid
    string? ProducerName,
    bool ProductRegistered,
    bool LotRegistered,
    bool SerialIssued,
    string Status,
    RecallFacts? Recall,
    DateOnly? RegisteredExpiry,
    DateOnly Today,
    IReadOnlyList<Finding> CloneSignals);

/// <summary>What a code comes to: the verdict, how much it proves, and every finding behind it.</summary>
public sealed record Judgement(string Verdict, string Assurance, IReadOnlyList<Finding> Reasons)
{
    /// <summary>Not registered (or a serial never issued): the not-registered page, 404.</summary>
    public bool IsUnknown => Verdict == Verdicts.Unknown || (Verdict == Verdicts.InvalidSignature && Reasons.Any(r =>
        r.Code is ReasonCodes.ProductNotRegistered or ReasonCodes.LotNotRegistered or ReasonCodes.SerialNotIssued));
}

/// <summary>
/// The one function that turns evidence into a verdict (DESIGN §4.5). Every surface calls it, so
/// verify, the page, the JSON and the inspection record cannot disagree. Precedence is
/// <see cref="Verdicts.Precedence"/>: a signature that fails wins over everything; an unknown
/// product, lot or serial next; recalled, suspended, expired outrank suspicious, authentic and
/// registered. Only a serial this service issued, carrying a valid signature, is authentic.
/// </summary>
public static class VerdictRules
{
    public static Judgement Judge(Evidence e)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var reasons = new List<Finding>();
        var code = e.Code;

        if (e.Signature == SignatureState.Invalid)
        {
            found.Add(Verdicts.InvalidSignature);
            reasons.Add(new(ReasonCodes.SignatureInvalid, e.SignatureDetail switch
            {
                "malformed" => new("Chữ ký số trên nhãn bị hỏng hoặc sai định dạng: nhãn đã bị sửa hoặc làm giả.",
                    "The label's signature is malformed: the label was altered or forged."),
                "unknown_key" => new("Chữ ký số dùng khóa không do hệ thống công bố: nhãn bị làm giả.",
                    "The signature uses a key this service never published: the label is forged."),
                _ => new("Chữ ký số không khớp với mã: nhãn đã bị sửa hoặc làm giả.",
                    "The signature does not match the code: the label was altered or forged."),
            }));
        }
        else if (e.Signature == SignatureState.Valid)
        {
            reasons.Add(new(ReasonCodes.SignatureValid, new(
                $"Chữ ký số trên nhãn hợp lệ (khóa {e.SignatureDetail}).", $"The label's signature is valid (key {e.SignatureDetail}).")));
        }

        // A valid signature proves the serial was issued: only issued serials are ever signed.
        var issued = code.Serial is not null && (e.SerialIssued || e.Signature == SignatureState.Valid);
        if (!e.ProductRegistered)
        {
            found.Add(Verdicts.Unknown);
            reasons.Add(new(ReasonCodes.ProductNotRegistered, new(
                $"Mã GTIN {code.Gtin.Value} chưa được đăng ký trong hệ thống truy xuất nguồn gốc: sản phẩm có thể là hàng giả.",
                $"GTIN {code.Gtin.Value} is not registered in the traceability system: the package may be counterfeit.")));
        }
        else if (code.Lot is not null && !e.LotRegistered)
        {
            found.Add(Verdicts.Unknown);
            reasons.Add(new(ReasonCodes.LotNotRegistered, new(
                $"Mã GTIN {code.Gtin.Value} đã đăng ký nhưng lô {code.Lot} thì chưa: sản phẩm có thể là hàng giả.",
                $"GTIN {code.Gtin.Value} is registered, but its lot {code.Lot} is not: the package may be counterfeit.")));
        }
        else
        {
            if (code.Serial is not null && !issued)
            {
                found.Add(Verdicts.Unknown);
                reasons.Add(new(ReasonCodes.SerialNotIssued, new(
                    $"Số sê-ri {code.Serial} chưa từng được cấp cho lô này: nhãn có thể bị làm giả.",
                    $"Serial {code.Serial} was never issued for this lot: the label may be forged.")));
            }
            else if (issued && e.Signature == SignatureState.None)
            {
                found.Add(Verdicts.Suspicious);
                reasons.Add(new(ReasonCodes.SignatureMissing, new(
                    "Số sê-ri này được cấp trên nhãn có chữ ký số, nhưng mã quét được không có chữ ký: nhãn đã bị chép tay hoặc in lại.",
                    "This serial was issued on a signed label, but the scanned code carries no signature: the label was copied by hand or reprinted.")));
            }
            Status(e, found, reasons);
            foreach (var signal in e.CloneSignals)
            {
                // Scanned after expiry or recall is told, not a clone signal: the lot's own status already says it.
                if (signal.Code is ReasonCodes.TooManyScans or ReasonCodes.ImpossibleTravel) found.Add(Verdicts.Suspicious);
                reasons.Add(signal);
            }
        }

        var verdict = Verdicts.Precedence.FirstOrDefault(found.Contains);
        if (verdict is null)
        {
            verdict = issued && e.Signature == SignatureState.Valid ? Verdicts.Authentic : Verdicts.Registered;
            reasons.Add(verdict == Verdicts.Authentic
                ? new(ReasonCodes.Registered, new(
                    $"Sản phẩm, lô và số sê-ri do {e.ProducerName} đăng ký và đang lưu hành.",
                    $"The product, lot and serial are registered by {e.ProducerName} and active."))
                : new(ReasonCodes.Registered, code.Lot is null
                    ? new($"Sản phẩm do {e.ProducerName} đăng ký (quét mã có số lô để kiểm tra đầy đủ).",
                        $"The product is registered by {e.ProducerName} (scan a code with a lot for a full check).")
                    : new($"Sản phẩm và lô hàng do {e.ProducerName} đăng ký.", $"The product and lot are registered by {e.ProducerName}.")));
        }
        if (verdict == Verdicts.Registered || (!issued && verdict is Verdicts.Recalled or Verdicts.Suspended or Verdicts.Expired))
            reasons.Add(new(ReasonCodes.NotProof, new(
                "Mã vạch và mã lô có thể bị sao chép, nên mã này chưa chứng minh được sản phẩm là thật.",
                "A barcode or lot code can be copied, so this is not proof of authenticity.")));

        var assurance = found.Contains(Verdicts.InvalidSignature) || found.Contains(Verdicts.Unknown) || found.Contains(Verdicts.Suspicious)
            ? Assurance.Unverified
            : issued && e.Signature == SignatureState.Valid ? Assurance.Verified : Assurance.Registered;
        return new Judgement(verdict, assurance, reasons);
    }

    private static void Status(Evidence e, HashSet<string> found, List<Finding> reasons)
    {
        switch (e.Status)
        {
            case "recalled":
                found.Add(Verdicts.Recalled);
                reasons.Add(new(ReasonCodes.Recalled, e.Recall is { } r
                    ? new($"Lô hàng đã bị thu hồi ngày {VnDate(r.IssuedAt)} (mức độ {Severity(r.Severity).Vi}): {r.Reason}",
                        $"The lot was recalled on {r.IssuedAt.ToOffset(VietnamTime.Offset):yyyy-MM-dd} ({Severity(r.Severity).En} severity): {r.Reason}")
                    : new("Lô hàng đã bị thu hồi.", "The lot was recalled.")));
                break;
            case "suspended":
                found.Add(Verdicts.Suspended);
                reasons.Add(new(ReasonCodes.ProducerSuspended, new(
                    "Cơ sở sản xuất đang bị cơ quan quản lý đình chỉ.", "The producer's registration is suspended by the authority.")));
                break;
            case "expired":
                found.Add(Verdicts.Expired);
                reasons.Add(new(ReasonCodes.Expired, new(
                    $"Lô hàng đã hết hạn sử dụng ngày {VnDate(e.RegisteredExpiry)}.",
                    string.Create(CultureInfo.InvariantCulture, $"The lot expired on {e.RegisteredExpiry:yyyy-MM-dd}."))));
                break;
        }
        if (e.Code.Expiry is not { } printed) return;
        if (e.RegisteredExpiry is { } registered && registered != printed)
        {
            found.Add(Verdicts.Suspicious);
            reasons.Add(new(ReasonCodes.ExpiryMismatch, new(
                $"Mã ghi hạn sử dụng {VnDate(printed)}, nhưng lô hàng được đăng ký hết hạn ngày {VnDate(registered)}.",
                string.Create(CultureInfo.InvariantCulture,
                    $"The code says it expires on {printed:yyyy-MM-dd}, but the lot was registered to expire on {registered:yyyy-MM-dd}."))));
        }
        else if (printed < e.Today && e.Status != "expired")
        {
            found.Add(Verdicts.Expired);
            reasons.Add(new(ReasonCodes.Expired, new(
                $"Hạn sử dụng in trên mã ({VnDate(printed)}) đã qua.",
                string.Create(CultureInfo.InvariantCulture, $"The code's expiry date {printed:yyyy-MM-dd} has passed."))));
        }
    }

    public static Text Severity(string severity) => severity switch
    {
        "high" => new("cao", "high"),
        "medium" => new("trung bình", "medium"),
        "low" => new("thấp", "low"),
        _ => new(severity, severity),
    };

    /// <summary>dd/MM/yyyy, as dates are written in Vietnam.</summary>
    public static string VnDate(DateOnly? date) => date?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) ?? "—";

    public static string VnDate(DateTimeOffset time) => VnDate(DateOnly.FromDateTime(time.ToOffset(VietnamTime.Offset).DateTime));
}
