using Traceability.Domain.Epcis;

namespace Traceability.Lookup.Api.Provenance;

/// <summary>
/// Builds the public projection of a product or lot from the store. Links are relative paths
/// (`/01/…`); the caller makes them absolute on the public base URL.
/// </summary>
public sealed class ProvenanceBuilder(
    ICatalogStore catalog,
    IAccountStore accounts,
    IEventStore events,
    IEnumerable<ILotStatusSource> statusSources,
    TimeProvider time)
{
    /// <summary>Null when the product (or the lot, when given) is not registered.</summary>
    public async Task<ProvenanceView?> BuildAsync(string gtin14, string? lotNumber, CancellationToken ct)
    {
        var product = await catalog.GetProductAsync(gtin14, ct);
        if (product is null) return null;
        var producer = await accounts.GetProducerAsync(product.ProducerId, ct);
        if (producer is null) return null;

        Lot? lot = null;
        if (lotNumber is not null)
        {
            lot = await catalog.GetLotAsync(gtin14, lotNumber, ct);
            if (lot is null) return null;
        }

        var places = new PlaceResolver(catalog);
        var now = time.GetUtcNow();
        var finding = await StatusAsync(new LotStatusContext(producer, product, lot, now), ct);
        var today = Traceability.Domain.VietnamTime.Today(now);

        OriginView? origin = null;
        IReadOnlyList<EventView> timeline = [];
        List<TraceLinkView> upstream = [], downstream = [];
        if (lot is not null)
        {
            if (lot.OriginLocation is { } code && await places.LocationAsync(lot.ProducerId, code, ct) is { } o)
                origin = new OriginView(o.Name, o.Province, o.Latitude, o.Longitude);

            var stored = (await events.GetEventsForLotAsync(lot.Key, ct)).OrderBy(e => e.EventTime).ToList();
            var list = new List<EventView>(stored.Count);
            var declared = stored.Select(e => (e.EventId, Declaration: Declaration(e.Json))).Where(d => d.Declaration is not null)
                .ToDictionary(d => d.EventId, d => d.Declaration!, StringComparer.Ordinal);
            var corrective = declared.Values.SelectMany(d => d.CorrectiveEventIds).ToHashSet(StringComparer.Ordinal);
            foreach (var e in stored)
            {
                var place = await places.PlaceAsync(e.ProducerId, e.BizLocation ?? e.ReadPoint, ct);
                var d = declared.GetValueOrDefault(e.EventId);
                list.Add(new EventView(e.EventTime, e.EventType, e.Action, e.BizStep, e.Disposition, place,
                    Corrected: d is not null, CorrectionReason: d?.Reason, CorrectiveEventIds: d?.CorrectiveEventIds,
                    Correction: corrective.Contains(e.EventId)));
                await LinkAsync(e, lot, places, upstream, downstream, ct);
            }
            timeline = list;
        }

        return new ProvenanceView(
            DigitalLink: lot is null ? $"/01/{gtin14}" : LotPath(gtin14, lot.LotNumber),
            Status: finding.Status.ToWire(),
            Product: new ProductView(product.Gtin, new NameView(product.Name.Vi, product.Name.En), product.Brand,
                IsWebUrl(product.ImageUrl) ? product.ImageUrl : null, product.Standards,
                [.. product.Certificates.Select(c => new CertificateView(c.Standard, c.Number, c.Issuer, c.ValidFrom, c.ValidTo,
                    Expired: c.ValidTo is { } to && to < today))],
                product.Category),
            Producer: new ProducerView(producer.Name, producer.Address, producer.Province, producer.PublicPhone,
                // Only an absolute http(s) address becomes a link: never javascript: or a path on this host.
                Uri.TryCreate(producer.Website, UriKind.Absolute, out var site) && site.Scheme is "https" or "http" ? producer.Website : null),
            Lot: lot is null ? null : new LotView(lot.LotNumber, lot.ProductionDate, lot.ExpiryDate, lot.Quantity, lot.Uom),
            Origin: origin,
            Events: timeline,
            Upstream: upstream,
            Downstream: downstream,
            Recall: finding.Recall);
    }

    public static string LotPath(string gtin14, string lot) => $"/01/{gtin14}/10/{Uri.EscapeDataString(lot)}";

    private async Task<StatusFinding> StatusAsync(LotStatusContext context, CancellationToken ct)
    {
        var best = new StatusFinding(LotStatus.Active);
        foreach (var source in statusSources)
        {
            if (await source.GetStatusAsync(context, ct) is { } f && f.Status > best.Status)
                best = f;
        }
        return best;
    }

    /// <summary>One step back/forward from this event (transformations, shipping, receiving by others).</summary>
    private async Task LinkAsync(StoredEvent e, Lot lot, PlaceResolver places,
        List<TraceLinkView> upstream, List<TraceLinkView> downstream, CancellationToken ct)
    {
        if (e.EventType == "TransformationEvent")
        {
            var isInput = e.Keys.Any(k => k.Role == EventKeyRole.InputLot && k.Value == lot.Key);
            var isOutput = e.Keys.Any(k => k.Role == EventKeyRole.OutputLot && k.Value == lot.Key);
            if (isInput) await AddLotsAsync(e, EventKeyRole.OutputLot, downstream, lot.Key, places, ct);
            if (isOutput) await AddLotsAsync(e, EventKeyRole.InputLot, upstream, lot.Key, places, ct);
            return;
        }
        if (e.BizStep == "shipping")
        {
            foreach (var destination in Destinations(e.Json))
            {
                var place = await places.PlaceAsync(e.ProducerId, destination, ct);
                if (place is null) continue;
                downstream.Add(new TraceLinkView("shipping", e.EventTime, null, null, null, null, null, place));
            }
            return;
        }
        if (e.BizStep == "receiving" && e.ProducerId != lot.ProducerId)
        {
            var receiver = await accounts.GetProducerAsync(e.ProducerId, ct);
            var place = await places.PlaceAsync(e.ProducerId, e.BizLocation ?? e.ReadPoint, ct);
            downstream.Add(new TraceLinkView("receiving", e.EventTime, null, null, null, null, receiver?.Name, place));
        }
    }

    private async Task AddLotsAsync(StoredEvent e, EventKeyRole role, List<TraceLinkView> into, string self,
        PlaceResolver places, CancellationToken ct)
    {
        foreach (var key in e.Keys.Where(k => k.Role == role && k.Value != self).Select(k => k.Value).Distinct())
        {
            if (!LotKey.TryParse(key, out var gtin, out var lotNumber)) continue;
            if (into.Any(t => t.DigitalLink == LotPath(gtin, lotNumber))) continue;
            var product = await catalog.GetProductAsync(gtin, ct);
            var producer = product is null ? null : await accounts.GetProducerAsync(product.ProducerId, ct);
            var place = await places.PlaceAsync(e.ProducerId, e.BizLocation ?? e.ReadPoint, ct);
            into.Add(new TraceLinkView("transformation", e.EventTime, LotPath(gtin, lotNumber), gtin, lotNumber,
                product is null ? null : new NameView(product.Name.Vi, product.Name.En), producer?.Name, place));
        }
    }

    /// <summary>The event's error declaration (an event reads in its declared state), or null.</summary>
    internal static ErrorDeclaration? Declaration(string json)
    {
        if (!json.Contains("\"errorDeclaration\"", StringComparison.Ordinal)) return null;
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(json)?["errorDeclaration"] is System.Text.Json.Nodes.JsonObject node
                   && ErrorDeclaration.TryRead(node, out var d, out _, out _) ? d : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The destinations of a shipping event (CBV destinationList), locations first.</summary>
    public static IEnumerable<string> Destinations(string json)
    {
        List<(string Type, string Id)> found = [];
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("destinationList", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var d in list.EnumerateArray())
                {
                    if (d.ValueKind == JsonValueKind.Object && d.TryGetProperty("destination", out var id) && id.ValueKind == JsonValueKind.String)
                        found.Add((d.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "", id.GetString()!));
                }
            }
        }
        catch (JsonException)
        {
            // Stored JSON is canonical; a broken one only costs the shipping link, not the page.
        }
        return found.OrderBy(f => f.Type.EndsWith("location", StringComparison.Ordinal) ? 0 : 1).Select(f => f.Id);
    }

    /// <summary>http(s) URLs, or root-relative paths on this host (made absolute when served); never javascript: etc.</summary>
    private static bool IsWebUrl(string? url) =>
        url is not null && ((url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\'))
                            || (Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "https" or "http"));

    /// <summary>Looks locations up once per build (also the early warning's reading of a lot's shipping destinations).</summary>
    public sealed class PlaceResolver(ICatalogStore catalog)
    {
        private const string PrivatePrefix = "urn:x-traceability:loc:";

        private readonly Dictionary<(string, string), Location?> _seen = [];

        public async Task<Location?> LocationAsync(string producerId, string identifier, CancellationToken ct)
        {
            if (_seen.TryGetValue((producerId, identifier), out var known)) return known;
            var location = await LookUpAsync(producerId, identifier, ct);
            _seen[(producerId, identifier)] = location;
            return location;
        }

        /// <summary>
        /// Events name locations as the ingestion API tells producers to: `414/{gln}` or
        /// `urn:x-traceability:loc:{producerId}:{code}`; GLN URIs (Digital Link, SGLN, party GLNs) and
        /// bare producer codes (lot origins) are accepted too.
        /// </summary>
        private async Task<Location?> LookUpAsync(string producerId, string identifier, CancellationToken ct)
        {
            if (identifier.StartsWith(PrivatePrefix, StringComparison.Ordinal))
            {
                var rest = identifier.AsSpan(PrivatePrefix.Length);
                var colon = rest.IndexOf(':');
                return colon <= 0 ? null : await catalog.GetLocationAsync(rest[..colon].ToString(), rest[(colon + 1)..].ToString(), ct);
            }
            // A GLN as a place (414) or as a party (417, how a shipment's receiving partner is named), in
            // any GS1 form (`414/…`, a Digital Link, an SGLN/PGLN URN): the location registered with that GLN.
            if (EpcIdentifier.GlnOf(identifier) is { } gln)
                return await catalog.FindLocationAsync(gln, ct);
            return await catalog.GetLocationAsync(producerId, identifier, ct)
                   ?? await catalog.FindLocationAsync(identifier, ct);
        }

        public async Task<PlaceView?> PlaceAsync(string producerId, string? identifier, CancellationToken ct) =>
            identifier is null ? null
            : await LocationAsync(producerId, identifier, ct) is { } l ? new PlaceView(l.Name, l.Province) : null;
    }
}
