using Traceability.Domain;

namespace Traceability.Sync.Pushing;

/// <summary>
/// Recall row (Key = `{recallId}/{lotKey}`, parent = the lot's row) → ToChuc_ThuHoi
/// `{idLoHang, lyDo, mucDo, ngayThuHoi}`; idLoHang is the parent lot's portal id.
/// </summary>
/// <param name="recalls">Null when the store keeps no recalls (then there are no recall rows either).</param>
public sealed class RecallPusher(INationalPortalApi portal, IRecallStore? recalls = null) : IOutboxPusher
{

    public OutboxKind Kind => OutboxKind.Recall;

    public async Task<PortalOutcome> PushAsync(OutboxRow row, string? parentPortalId, CancellationToken ct)
    {
        if (recalls is null || !RecallKeys.TryParseOutboxKey(row.Key, out var recallId, out _)
            || await recalls.GetRecallAsync(recallId, ct) is not { } recall)
            return Outcomes.Missing(row);
        var response = await portal.CreateRecallAsync(ToPortal(recall, parentPortalId), ct);
        return PortalOutcome.From(response, r => r.IdThuHoi);
    }

    public static PortalRecall ToPortal(Recall recall, string? lotPortalId) => new(
        IdLoHang: lotPortalId,
        LyDo: recall.Reason,
        MucDo: Severity(recall.Severity),
        // The recall's calendar day in Vietnam, the portal's date format.
        NgayThuHoi: VietnamTime.Today(recall.IssuedAt).ToString(PortalDtos.DateFormat, CultureInfo.InvariantCulture));

    /// <summary>Our severities (high/medium/low) in the portal's vocabulary (cao/trungBinh/thap).</summary>
    public static string Severity(string severity) => severity switch
    {
        "high" => "cao",
        "medium" => "trungBinh",
        _ => "thap",
    };
}
