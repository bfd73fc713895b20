namespace Traceability.ProducerConsole.Portal;

/// <summary>What a product, lot or event is to the national portal, as the producer sees it.</summary>
public enum PortalStage { None, Sent, Sending, Waiting, Refused, Blocked }

/// <param name="Row">The outbox row (null for None, and for an event whose row is synced: only open rows are read).</param>
/// <param name="BlockerKind">For Blocked: the refused row everything waits on (a product for a lot and its events).</param>
public sealed record PortalState(PortalStage Stage, OutboxRow? Row, OutboxKind? BlockerKind = null, string? BlockerKey = null)
{
    public static readonly PortalState None = new(PortalStage.None, null);

    public static readonly PortalState Sent = new(PortalStage.Sent, null);
}

/// <summary>
/// Reads outbox rows and says what each means to the producer. A row waiting on a parent the portal
/// refused, or on a parent that is itself blocked, is Blocked by that refused row rather than Waiting:
/// the worker never leases it until the refused row is corrected and sent. Each parent is read once
/// per page. Not thread-safe: one per request, used sequentially.
/// </summary>
internal sealed class PortalStates(IOutboxStore outbox, CancellationToken ct)
{
    private readonly Dictionary<(OutboxKind, string), Task<PortalState>> _known = [];

    public Task<PortalState> OfAsync(OutboxKind kind, string key)
    {
        if (!_known.TryGetValue((kind, key), out var state))
            _known[(kind, key)] = state = LoadAsync(kind, key);
        return state;
    }

    private async Task<PortalState> LoadAsync(OutboxKind kind, string key) => await OfRowAsync(await outbox.GetOutboxRowAsync(kind, key, ct));

    public async Task<PortalState> OfRowAsync(OutboxRow? row)
    {
        if (row is null) return PortalState.None;
        if (row.State == OutboxState.Synced) return new PortalState(PortalStage.Sent, row);
        if (row.State == OutboxState.Failed) return new PortalState(PortalStage.Refused, row);
        if (row.DependsOnKind is { } parentKind && row.DependsOnKey is { } parentKey)
        {
            var parent = await OfAsync(parentKind, parentKey);
            if (parent.Stage == PortalStage.Refused) return new PortalState(PortalStage.Blocked, row, parentKind, parentKey);
            if (parent.Stage == PortalStage.Blocked) return parent with { Row = row };
        }
        return new PortalState(row.State == OutboxState.InFlight ? PortalStage.Sending : PortalStage.Waiting, row);
    }

    /// <summary>
    /// Events by id: their open rows in one read (event rows have no key index); an event without an
    /// open row is sent, since every stored event was announced when it was captured.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, PortalState>> OfEventsAsync(IReadOnlyCollection<string> eventIds)
    {
        var open = (await outbox.GetOpenRowsAsync(OutboxKind.Event, eventIds, ct)).ToDictionary(r => r.Key, StringComparer.Ordinal);
        var states = new Dictionary<string, PortalState>(StringComparer.Ordinal);
        foreach (var id in eventIds)
            states[id] = open.TryGetValue(id, out var row) ? await OfRowAsync(row) : PortalState.Sent;
        return states;
    }
}
