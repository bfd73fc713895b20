namespace Traceability.Authority.Api.Producers;

/// <summary>
/// The authority's read side over producers, shared by <c>GET /api/v1/producers</c> and the
/// workspace pages. Filtering and paging run over <see cref="IAccountStore.ListProducersAsync"/>:
/// a province registers producers by the thousand, not the million, so one read of the table is
/// cheaper than a query per filter in each provider.
/// </summary>
public sealed class ProducerDirectory(IAccountStore accounts, ICatalogStore catalog, IEventStore events,
    IOutboxStore outbox, IRecallStore recalls, TimeProvider time)
{
    public const int DefaultPerPage = 50;
    public const int MaxPerPage = 200;
    // The root collation, not vi-VN: Vietnamese collation makes ê, ơ, ư… letters of their own, so
    // "ham yen" would not find "Hàm Yên". Đ is a letter of its own in every collation: mapped to D.
    private static readonly CompareInfo Root = CultureInfo.InvariantCulture.CompareInfo;

    /// <summary>
    /// Validates the list parameters: perPage 1–200, page ≥ 1 or a nextPageToken from a previous
    /// page (not both), status active | suspended.
    /// </summary>
    public static Outcome<(ProducerFilter Filter, int Offset, int PerPage)> Parse(
        string? province, string? status, string? q, string? perPage, string? page, string? nextPageToken)
    {
        var errors = new ValidationErrors();
        var (offset, size) = ParsePaging(errors, ProducersScope, perPage, page, nextPageToken);
        if (status is { Length: > 0 } && status is not ("active" or "suspended"))
            errors.Add("status", "status is active or suspended.");
        if (q is { Length: > 200 }) errors.Add("q", "At most 200 characters.");
        if (!errors.IsValid) return Outcome<(ProducerFilter, int, int)>.Invalid(errors);
        return Outcome<(ProducerFilter, int, int)>.Ok((new ProducerFilter(Blank(province), Blank(status), Blank(q)), offset, size));
    }

    /// <summary>Paging of a producer's products or lots (scope <c>products</c> | <c>lots</c>): the list's rules, tokens of their own.</summary>
    public static Outcome<(int Offset, int PerPage)> ParsePage(string scope, string? perPage, string? page, string? nextPageToken)
    {
        var errors = new ValidationErrors();
        var paging = ParsePaging(errors, scope, perPage, page, nextPageToken);
        return errors.IsValid ? Outcome<(int, int)>.Ok(paging) : Outcome<(int, int)>.Invalid(errors);
    }

    private const string ProducersScope = "producers";

    private static (int Offset, int PerPage) ParsePaging(ValidationErrors errors, string scope, string? perPage, string? page, string? nextPageToken)
    {
        var size = DefaultPerPage;
        if (perPage is { Length: > 0 } && (!int.TryParse(perPage, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPerPage))
            errors.Add("perPage", $"perPage must be a whole number from 1 to {MaxPerPage}.");
        var offset = 0;
        if (page is { Length: > 0 } && nextPageToken is { Length: > 0 })
            errors.Add("page", "Send either page or nextPageToken, not both.");
        else if (page is { Length: > 0 })
        {
            if (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 100_000)
                errors.Add("page", "page must be a whole number from 1.");
            else offset = (number - 1) * size;
        }
        else if (nextPageToken is { Length: > 0 } && !TryReadToken(scope, nextPageToken, out offset))
            errors.Add("nextPageToken", "This page token is not one this service issued.");
        return (offset, size);
    }

    public async Task<ProducerPage> ListAsync(ProducerFilter filter, int offset, int perPage, CancellationToken ct)
    {
        var all = await accounts.ListProducersAsync(ct);
        var matching = all.Where(p => Matches(p, filter))
            .OrderBy(p => p.Name, StringComparer.Create(CultureInfo.GetCultureInfo("vi-VN"), true)).ThenBy(p => p.Id, StringComparer.Ordinal)
            .ToList();
        var items = matching.Skip(offset).Take(perPage).Select(ProducerSummary.From).ToList();
        var next = offset + perPage < matching.Count ? Token(ProducersScope, offset + perPage) : null;
        return new ProducerPage(items, matching.Count, offset / perPage + 1, perPage, next);
    }

    /// <summary>A producer's products by GTIN, one page; null when there is no such producer.</summary>
    public async Task<Paged<ProducerProduct>?> ProductsAsync(string id, int offset, int perPage, CancellationToken ct)
    {
        if (await accounts.GetProducerAsync(id, ct) is null) return null;
        var products = await catalog.ListProductsAsync(id, ct);
        var items = products.Skip(offset).Take(perPage).ToList();
        var open = (await outbox.GetOpenRowsAsync(OutboxKind.Product, [.. items.Select(p => p.Gtin)], ct)).ToDictionary(r => r.Key, StringComparer.Ordinal);
        return PageOf([.. items.Select(p => ProductOf(p, open))], products.Count, "products", offset, perPage);
    }

    /// <summary>
    /// A producer's lots, newest first, one page; null when there is no such producer. The store lists
    /// a producer's lots newest first up to a count, so the page reads one lot past it to know if more follow.
    /// </summary>
    public async Task<Paged<ProducerLot>?> LotsAsync(string id, int offset, int perPage, CancellationToken ct)
    {
        if (await accounts.GetProducerAsync(id, ct) is null) return null;
        var lots = await catalog.ListLotsAsync(id, offset + perPage + 1, ct);
        var items = lots.Skip(offset).Take(perPage).ToList();
        var open = (await outbox.GetOpenRowsAsync(OutboxKind.Lot, [.. items.Select(l => l.Key)], ct)).ToDictionary(r => r.Key, StringComparer.Ordinal);
        // The total is known only up to this page and the one lot after it.
        return PageOf([.. items.Select(l => LotOf(l, open))], lots.Count, "lots", offset, perPage);
    }

    private static Paged<T> PageOf<T>(IReadOnlyList<T> items, int seen, string scope, int offset, int perPage) =>
        new(items, offset / perPage + 1, perPage, offset + perPage < seen ? Token(scope, offset + perPage) : null);

    private static ProducerProduct ProductOf(Product p, Dictionary<string, OutboxRow> open) =>
        new(p.Gtin, p.Name.Vi, p.Name.En, p.Brand, p.CreatedAt, SyncState.Of(open.GetValueOrDefault(p.Gtin)));

    private static ProducerLot LotOf(Lot l, Dictionary<string, OutboxRow> open) =>
        new(l.Gtin, l.LotNumber, l.ProductionDate, l.ExpiryDate, l.Quantity, l.Uom, l.CreatedAt,
            ProvenanceBuilder.LotPath(l.Gtin, l.LotNumber), SyncState.Of(open.GetValueOrDefault(l.Key)));

    /// <summary>The provinces producers are registered in, for the list's filter.</summary>
    public async Task<IReadOnlyList<string>> ProvincesAsync(CancellationToken ct) =>
        [.. (await accounts.ListProducersAsync(ct)).Select(p => p.Province).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Create(CultureInfo.GetCultureInfo("vi-VN"), true))];

    public async Task<ProducerDetails?> GetAsync(string id, CancellationToken ct)
    {
        var producer = await accounts.GetProducerAsync(id, ct);
        if (producer is null) return null;
        var products = await catalog.ListProductsAsync(id, ct);
        var lots = await catalog.ListLotsAsync(id, 200, ct);
        var openProducts = (await outbox.GetOpenRowsAsync(OutboxKind.Product, [.. products.Select(p => p.Gtin)], ct)).ToDictionary(r => r.Key, StringComparer.Ordinal);
        var openLots = (await outbox.GetOpenRowsAsync(OutboxKind.Lot, [.. lots.Select(l => l.Key)], ct)).ToDictionary(r => r.Key, StringComparer.Ordinal);
        // Events come oldest first: the last 30 days, the newest 20 of them.
        var page = await events.QueryEventsAsync(new EventQuery { ProducerId = id, GeRecordTime = time.GetUtcNow().AddDays(-30), PerPage = 500 }, ct);
        var recent = page.Events.OrderByDescending(e => e.EventTime).Take(20)
            .Select(e => new ProducerEvent(e.EventId, e.EventType, e.EventTime, e.BizStep, e.Disposition)).ToList();
        var gtins = products.Select(p => p.Gtin).ToHashSet(StringComparer.Ordinal);
        var active = (await recalls.ListActiveRecallsAsync(500, ct)).Where(r => gtins.Contains(r.Gtin))
            .Select(r => new ProducerRecall(r.Id, r.Gtin, r.Lots, r.Reason, r.Severity, r.IssuedAt)).ToList();
        return new ProducerDetails(ProducerSummary.From(producer), producer.Phone, producer.Email,
            [.. products.Select(p => ProductOf(p, openProducts))],
            [.. lots.Select(l => LotOf(l, openLots))],
            recent, active);
    }

    private static bool Matches(Producer p, ProducerFilter f) =>
        (f.Province is null || string.Equals(p.Province, f.Province, StringComparison.OrdinalIgnoreCase))
        && (f.Status is null || (f.Status == "suspended") == p.Suspended)
        && (f.Q is null || Contains(p.Name, f.Q) || p.TaxCode.Contains(f.Q, StringComparison.Ordinal) || p.Id.Equals(f.Q, StringComparison.Ordinal));

    /// <summary>Accent- and case-insensitive: "ham yen" finds "Hàm Yên".</summary>
    private static bool Contains(string text, string part) =>
        Root.IndexOf(WithoutDStroke(text), WithoutDStroke(part), CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace) >= 0;

    private static string WithoutDStroke(string s) => s.Replace('đ', 'd').Replace('Đ', 'D');

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    // The token is only an offset (the list has no cursor key of its own); prefixed with its list's
    // scope so a page number or another endpoint's token is not taken for one.
    private static string Token(string scope, int offset) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(scope + ":" + offset.ToString(CultureInfo.InvariantCulture))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryReadToken(string scope, string token, out int offset)
    {
        offset = 0;
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(padded));
            return text.StartsWith(scope + ":", StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(scope.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
