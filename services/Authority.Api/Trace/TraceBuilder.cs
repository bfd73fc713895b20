using System.Text.Json;
using Traceability.Domain.Epcis;

namespace Traceability.Authority.Api.Trace;

/// <summary>
/// One step back, one step forward: the events of a lot, then of every lot a transformation links
/// it to (inputs of the transformations that made it, outputs of those that consumed it), whoever
/// recorded them. Shipments and receipts by other producers carry the same lot, so they are among
/// the lot's own events. Each event appears once, under the lot through which it was reached first.
/// </summary>
public sealed class TraceBuilder(ICatalogStore catalog, IAccountStore accounts, IEventStore events)
{
    public async Task<TraceReport?> BuildAsync(string gtin14, string lotNumber, CancellationToken ct)
    {
        var key = LotKey.Of(gtin14, lotNumber);
        var lot = await catalog.GetLotAsync(gtin14, lotNumber, ct);
        var own = await events.GetEventsForLotAsync(key, ct);
        if (lot is null && own.Count == 0) return null;

        var names = new Names(catalog, accounts);
        var upstream = new List<string>();
        var downstream = new List<string>();
        foreach (var e in own.Where(e => e.EventType == "TransformationEvent"))
        {
            var inputs = Lots(e, EventKeyRole.InputLot);
            var outputs = Lots(e, EventKeyRole.OutputLot);
            if (inputs.Contains(key)) downstream.AddRange(outputs.Where(k => k != key && !downstream.Contains(k)));
            if (outputs.Contains(key)) upstream.AddRange(inputs.Where(k => k != key && !upstream.Contains(k)));
        }

        var rows = new List<TraceRow>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await AddRowsAsync("traced", key, own, rows, seen, names, ct);
        foreach (var k in upstream) await AddRowsAsync("upstream", k, await events.GetEventsForLotAsync(k, ct), rows, seen, names, ct);
        foreach (var k in downstream) await AddRowsAsync("downstream", k, await events.GetEventsForLotAsync(k, ct), rows, seen, names, ct);
        rows.Sort((a, b) => a.EventTime != b.EventTime ? a.EventTime.CompareTo(b.EventTime) : string.CompareOrdinal(a.EventId, b.EventId));

        var up = new List<TraceLot>();
        foreach (var k in upstream) up.Add(await LotAsync("upstream", k, names, ct));
        var down = new List<TraceLot>();
        foreach (var k in downstream) down.Add(await LotAsync("downstream", k, names, ct));
        return new TraceReport(await LotAsync("traced", key, names, ct), up, down, rows);
    }

    private static List<string> Lots(StoredEvent e, EventKeyRole role) =>
        e.Keys.Where(k => k.Role == role).Select(k => k.Value).Distinct().ToList();

    private static async Task<TraceLot> LotAsync(string relation, string key, Names names, CancellationToken ct)
    {
        var gtin = LotKey.GtinOf(key);
        var product = await names.ProductAsync(gtin, ct);
        var producer = product is null ? null : await names.ProducerAsync(product.ProducerId, ct);
        return new TraceLot(relation, gtin, LotKey.LotOf(key), product?.Name.Vi, producer?.Name);
    }

    private static async Task AddRowsAsync(string relation, string key, IReadOnlyList<StoredEvent> lotEvents,
        List<TraceRow> rows, HashSet<string> seen, Names names, CancellationToken ct)
    {
        var gtin = LotKey.GtinOf(key);
        var product = await names.ProductAsync(gtin, ct);
        foreach (var e in lotEvents)
        {
            if (!seen.Add(e.EventId)) continue;
            var details = EventDetails.Read(e.Json, key);
            var locationId = e.BizLocation ?? e.ReadPoint;
            var place = locationId is null ? null : await names.LocationAsync(e.ProducerId, locationId, ct);
            var producer = await names.ProducerAsync(e.ProducerId, ct);
            var linked = e.EventType == "TransformationEvent"
                ? string.Join(' ', Lots(e, EventKeyRole.InputLot).Select(k => "in:" + k).Concat(Lots(e, EventKeyRole.OutputLot).Select(k => "out:" + k)))
                : null;
            // EPCIS: a quantity without uom counts instances — in the product's unit when it has one.
            var uom = details.Quantity is null ? null : details.Uom ?? product?.Unit ?? "EA";
            // The consignee: whoever owns the first destination the event names (a registered location).
            var destination = details.Destinations.Count == 0 ? null : await names.LocationAsync(e.ProducerId, details.Destinations[0], ct);
            var consignee = destination is null ? null : await names.ProducerAsync(destination.ProducerId, ct);
            rows.Add(new TraceRow(relation, LotKey.LotOf(key), gtin, product?.Name.Vi, details.Quantity, uom,
                Cte(e), e.EventType, e.BizStep, e.Disposition, e.EventTime,
                place?.Gln is { } gln ? $"414/{gln}" : locationId, place?.Name, place?.Province,
                await PartiesAsync(details.Sources, e.ProducerId, names, ct),
                await PartiesAsync(details.Destinations, e.ProducerId, names, ct),
                string.IsNullOrEmpty(linked) ? null : linked, producer?.Name, producer?.TaxCode, e.EventId)
            {
                LocationAddress = Address(place?.Address, place?.Province),
                Consignee = consignee?.Name ?? destination?.Name,
                ConsigneeAddress = destination is null ? null : Address(destination.Address, destination.Province) ?? Address(consignee?.Address, consignee?.Province),
                ConsigneePhone = consignee?.Phone,
            });
        }
    }

    /// <summary>An address with its province (commune and province, as addresses are written since 2025), or null when neither is known.</summary>
    private static string? Address(string? address, string? province) =>
        string.Join(", ", new[] { address, province }.Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } text ? text : null;

    /// <summary>The FSMA 204 critical tracking event an EPCIS event stands for.</summary>
    internal static string Cte(StoredEvent e) => e.EventType == "TransformationEvent" ? "transformation" : e.BizStep switch
    {
        "commissioning" or "creating_class_instance" => "creation",
        "packing" => "initial_packing",
        "shipping" or "departing" => "shipping",
        "receiving" or "arriving" or "accepting" => "receiving",
        "storing" or "cooling" => "cooling_storing",
        "retail_selling" => "retail",
        null => "other",
        var step => step,
    };

    private static async Task<string?> PartiesAsync(IReadOnlyList<string> ids, string producerId, Names names, CancellationToken ct)
    {
        if (ids.Count == 0) return null;
        var parts = new List<string>(ids.Count);
        foreach (var id in ids)
            parts.Add(await names.LocationAsync(producerId, id, ct) is { } l ? $"{l.Name} ({id})" : id);
        return string.Join("; ", parts);
    }

    /// <summary>Looks products, producers and locations up once per export.</summary>
    private sealed class Names(ICatalogStore catalog, IAccountStore accounts)
    {
        private const string PrivatePrefix = "urn:x-traceability:loc:";
        private readonly Dictionary<string, Product?> _products = [];
        private readonly Dictionary<string, Producer?> _producers = [];
        private readonly Dictionary<(string, string), Location?> _locations = [];

        public async Task<Product?> ProductAsync(string gtin, CancellationToken ct)
        {
            if (!_products.TryGetValue(gtin, out var p)) _products[gtin] = p = await catalog.GetProductAsync(gtin, ct);
            return p;
        }

        public async Task<Producer?> ProducerAsync(string id, CancellationToken ct)
        {
            if (!_producers.TryGetValue(id, out var p)) _producers[id] = p = await accounts.GetProducerAsync(id, ct);
            return p;
        }

        /// <summary>Locations named as events name them: `414/{gln}`, `urn:x-traceability:loc:{producer}:{code}`, a GLN URI, or a producer's code.</summary>
        public async Task<Location?> LocationAsync(string producerId, string identifier, CancellationToken ct)
        {
            if (_locations.TryGetValue((producerId, identifier), out var known)) return known;
            Location? found;
            var keyed = EpcIdentifier.ToLocationKey(identifier);
            if (identifier.StartsWith(PrivatePrefix, StringComparison.Ordinal))
            {
                var rest = identifier[PrivatePrefix.Length..];
                var colon = rest.IndexOf(':');
                found = colon <= 0 ? null : await catalog.GetLocationAsync(rest[..colon], rest[(colon + 1)..], ct);
            }
            else if (keyed.StartsWith("414/", StringComparison.Ordinal))
            {
                var gln = keyed[4..];
                var slash = gln.IndexOf('/');
                found = await catalog.FindLocationAsync(slash < 0 ? gln : gln[..slash], ct);
            }
            else
            {
                found = await catalog.GetLocationAsync(producerId, identifier, ct) ?? await catalog.FindLocationAsync(identifier, ct);
            }
            _locations[(producerId, identifier)] = found;
            return found;
        }
    }

    /// <summary>What the indexed fields do not hold: quantities of the lot, sources and destinations.</summary>
    private sealed record EventDetails(decimal? Quantity, string? Uom, IReadOnlyList<string> Sources, IReadOnlyList<string> Destinations)
    {
        private static readonly string[] QuantityLists = ["quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"];
        private static readonly string[] InstanceLists = ["epcList", "childEPCs", "inputEPCList", "outputEPCList"];

        public static EventDetails Read(string json, string lotKey)
        {
            try
            {
                using var doc = JsonDocument.Parse(json);
                var root = doc.RootElement;
                decimal? quantity = null;
                string? uom = null;
                foreach (var list in QuantityLists)
                {
                    foreach (var q in Array(root, list))
                    {
                        if (!Is(q, "epcClass", lotKey)) continue;
                        if (q.TryGetProperty("quantity", out var n) && n.TryGetDecimal(out var value)) quantity = (quantity ?? 0) + value;
                        if (q.TryGetProperty("uom", out var u) && u.ValueKind == JsonValueKind.String) uom ??= u.GetString();
                    }
                }
                if (quantity is null)
                {
                    // Serialised items of the lot: the count is the quantity, in each ("EA" in UN/CEFACT rec 20 is "H87"; keep it readable).
                    var count = InstanceLists.Sum(list => Array(root, list).Count(id => id.ValueKind == JsonValueKind.String && LotOf(id.GetString()) == lotKey));
                    if (count > 0) (quantity, uom) = (count, "EA");
                }
                return new EventDetails(quantity, uom, Parties(root, "sourceList", "source"), Parties(root, "destinationList", "destination"));
            }
            catch (JsonException)
            {
                // Stored JSON is canonical; a broken one only costs these columns, not the export.
                return new EventDetails(null, null, [], []);
            }
        }

        private static IEnumerable<JsonElement> Array(JsonElement root, string name) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array
                ? a.EnumerateArray().ToList() : [];

        private static bool Is(JsonElement element, string property, string lotKey) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String
            && LotOf(v.GetString()) == lotKey;

        private static string? LotOf(string? id) => EpcIdentifier.TryParse(id, out var parsed, out _) ? parsed.LotKey : null;

        private static List<string> Parties(JsonElement root, string list, string field) =>
            Array(root, list).Where(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String)
                .Select(p => p.GetProperty(field).GetString()!).ToList();
    }
}
