using System.Collections.Concurrent;
using Traceability.Domain.Epcis;

namespace Traceability.Sync.Pushing;

/// <summary>Event row (Key = eventID, parent = the lot) → ToChuc_SuKien.</summary>
public sealed class EventPusher(IEventStore events, ICatalogStore catalog, INationalPortalApi portal) : IOutboxPusher
{
    // Transient: the worker resolves one per round, whose events mostly share a few locations.
    private readonly ConcurrentDictionary<string, Task<Location?>> _locations = new();

    /// <summary>The round's events, read together by <see cref="PrepareAsync"/>; only read afterwards.</summary>
    private Dictionary<string, StoredEvent> _round = [];

    public OutboxKind Kind => OutboxKind.Event;

    public async Task PrepareAsync(IReadOnlyList<OutboxRow> rows, CancellationToken ct) =>
        _round = (await events.GetEventsAsync([.. rows.Select(r => r.Key)], ct)).ToDictionary(e => e.EventId);

    public async Task<PortalOutcome> PushAsync(OutboxRow row, string? parentPortalId, CancellationToken ct)
    {
        if ((_round.GetValueOrDefault(row.Key) ?? await events.GetEventAsync(row.Key, ct)) is not { } ev)
            return Outcomes.Missing(row);
        var where = ev.BizLocation ?? ev.ReadPoint;
        var location = where is null ? null : await _locations.GetOrAdd(where, w => catalog.FindLocationAsync(w, ct));
        var response = await portal.CreateEventAsync(ToPortal(ev, row.DependsOnKey, location, parentPortalId), ct);
        return PortalOutcome.From(response, r => r.IdSuKien);
    }

    public static PortalEvent ToPortal(StoredEvent ev, string? lotKey, Location? location, string? lotPortalId)
    {
        // The traced item: a serialised EPC when the event names one, otherwise the lot itself.
        var item = ev.Keys.FirstOrDefault(k => k.Role == EventKeyRole.Epc).Value ?? lotKey;
        return new PortalEvent(
            IdLoHang: lotPortalId,
            MaSuKien: ev.EventId,
            CongDoan: StageMapping.For(ev.BizStep, location?.Kind),
            ThoiGian: ev.EventTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
            MaTruyVetSanPham: item,
            MaTruyVetDiaDiem: location?.Gln ?? ev.BizLocation ?? ev.ReadPoint,
            TenDiaDiem: location?.Name,
            DiaChi: Address(location),
            MoTa: string.Join(' ', new[] { ev.EventType, ev.Action, ev.BizStep, ev.Disposition }.Where(s => !string.IsNullOrEmpty(s))),
            DinhChinh: Correction(ev.Json));
    }

    /// <summary>The event's error declaration for the portal (an event reads in its declared state), or null.</summary>
    private static PortalCorrection? Correction(string json)
    {
        if (!json.Contains("\"errorDeclaration\"", StringComparison.Ordinal)) return null;
        try
        {
            if (System.Text.Json.Nodes.JsonNode.Parse(json)?["errorDeclaration"] is not System.Text.Json.Nodes.JsonObject node
                || !ErrorDeclaration.TryRead(node, out var d, out _, out _)) return null;
            return new PortalCorrection(d!.DeclarationTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
                d.Reason, d.CorrectiveEventIds);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string? Address(Location? location) =>
        location is null ? null
        : string.Join(", ", new[] { location.Address, location.Province }.Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } a ? a
        : null;
}
