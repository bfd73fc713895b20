using System.Text.RegularExpressions;

namespace Traceability.Authority.Api.Inspections;

public sealed record CreateInspectionRequest(
    string? Code, string? Result, string? Notes, double? Latitude, double? Longitude,
    DateTimeOffset? InspectedAt = null, string? ClientRef = null, string? Place = null);

/// <summary>
/// An inspection as staff see it. Province is the one nearest the GPS position (the place), null
/// without one; PublishedAt says whether the outcome is on the public warnings page.
/// </summary>
public sealed record InspectionView(
    string Id, string InspectorId, string? InspectorName, string? Agency, DateTimeOffset CreatedAt, DateTimeOffset InspectedAt,
    string Code, string? Gtin, string? Lot, string Result, string? Notes, double? Latitude, double? Longitude,
    string? ClientRef, string? Photo, string? Province = null, DateTimeOffset? PublishedAt = null, string? Place = null);

/// <summary>The list's filters as given (query string or form); <see cref="InspectionService.ParseFilter"/> checks them.</summary>
public sealed record InspectionFilterInput(
    string? Gtin = null, string? Lot = null, string? Province = null, string? Inspector = null, string? Result = null,
    string? From = null, string? To = null, string? Published = null, int? Max = null);

public sealed record InspectionFilter(InspectionQuery Query, string? Province);

public sealed record PublishRequest(string? Reason);

public sealed record InspectionList(IReadOnlyList<InspectionView> Items);

/// <summary>What a stored (or already stored) inspection came to; Created is false for a replay.</summary>
public sealed record InspectionSaved(InspectionView Inspection, bool Created);

public sealed partial class InspectionService(
    IInspectionStore store, IAccountStore accounts, AuthorityTelemetry telemetry, EarlyWarningEngine earlyWarning, TimeProvider time)
{
    public const int MaxReason = 1000;

    /// <summary>The verdicts the app shows (the one list in the domain), plus the inspector's own conclusions.</summary>
    public static readonly IReadOnlyList<string> Results = InspectionResults.All;

    public async Task<Outcome<InspectionSaved>> RecordAsync(string inspectorId, CreateInspectionRequest r, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var code = r.Code?.Trim();
        if (string.IsNullOrEmpty(code)) errors.Add("code", "The scanned code is required.");
        else if (code.Length > 1000) errors.Add("code", "At most 1000 characters are allowed.");
        var result = r.Result?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(result)) errors.Add("result", "The result is required.");
        else if (!Results.Contains(result)) errors.Add("result", $"The result must be one of: {string.Join(", ", Results)}.");
        if (r.Notes?.Length > 4000) errors.Add("notes", "At most 4000 characters are allowed.");
        var place = string.IsNullOrWhiteSpace(r.Place) ? null : r.Place.Trim();
        if (place?.Length > 200) errors.Add("place", "At most 200 characters are allowed.");
        foreach (var (field, message) in Coordinates.Problems(r.Latitude, r.Longitude)) errors.Add(field, message);
        if (r.ClientRef is { } cref && !ClientRefPattern().IsMatch(cref)) errors.Add("clientRef", "Use 1 to 64 letters, digits, '-' or '_'.");
        var now = time.GetUtcNow();
        // Records queued offline carry the time of the inspection; one from the future is a clock error.
        if (r.InspectedAt is { } at && at > now.AddMinutes(10)) errors.Add("inspectedAt", "The inspection time is in the future.");
        if (!errors.IsValid) return Outcome<InspectionSaved>.Invalid(errors);

        if (r.ClientRef is not null && await store.FindInspectionByClientRefAsync(inspectorId, r.ClientRef, ct) is { } existing)
            return Outcome<InspectionSaved>.Ok(new InspectionSaved(await ViewAsync(existing, ct), false));

        // Any code verify accepts (Digital Link, element string, GTIN) names its lot the same way.
        string? lotKey = ScannedCode.TryParse(code, out var scanned, out _) && scanned.Lot is not null ? LotKey.Of(scanned.Gtin.Value, scanned.Lot) : null;
        var inspection = new Inspection(NewId(), inspectorId, now, r.InspectedAt ?? now, code!, lotKey, result!,
            string.IsNullOrWhiteSpace(r.Notes) ? null : r.Notes.Trim(), r.Latitude, r.Longitude, r.ClientRef, null, Place: place);
        try
        {
            await store.AddInspectionAsync(inspection, ct);
        }
        catch (DuplicateKeyException)
        {
            // The same queued record arrived twice at once: the other request stored it.
            var stored = await store.FindInspectionByClientRefAsync(inspectorId, r.ClientRef!, ct);
            return Outcome<InspectionSaved>.Ok(new InspectionSaved(await ViewAsync(stored!, ct), false));
        }
        telemetry.Inspections.Add(1, new KeyValuePair<string, object?>("result", result));
        await earlyWarning.ObserveInspectionAsync(inspection, ct);
        return Outcome<InspectionSaved>.Ok(new InspectionSaved(await ViewAsync(inspection, ct), true));
    }

    public async Task<Outcome<InspectionView>> AttachPhotoAsync(string inspectorId, string id, byte[] data, CancellationToken ct)
    {
        var inspection = await store.GetInspectionAsync(id, ct);
        if (inspection is null) return Outcome<InspectionView>.NotFound($"There is no inspection '{id}'.");
        if (inspection.InspectorId != inspectorId) return Outcome<InspectionView>.Forbidden("This inspection was recorded by another inspector.");
        if (ImageSniffer.Sniff(data) is not { } type) return Outcome<InspectionView>.Invalid("photo", "The photo must be a JPEG or PNG image.");
        await store.SetInspectionPhotoAsync(id, new InspectionPhoto(type, data), ct);
        return Outcome<InspectionView>.Ok(await ViewAsync(inspection with { PhotoContentType = type }, ct));
    }

    /// <summary>
    /// Checks the list's filters: gtin and lot together, a known result, a province name, a period
    /// of Vietnam days (<c>from</c> and <c>to</c> inclusive, yyyy-MM-dd), published true|false.
    /// </summary>
    public static Outcome<InspectionFilter> ParseFilter(InspectionFilterInput f)
    {
        var errors = new ValidationErrors();
        string? lotKey = null;
        if (!string.IsNullOrEmpty(f.Gtin) || !string.IsNullOrEmpty(f.Lot))
        {
            if (string.IsNullOrEmpty(f.Gtin) || string.IsNullOrEmpty(f.Lot))
                errors.Add(string.IsNullOrEmpty(f.Gtin) ? "gtin" : "lot", "Filter by gtin and lot together.");
            else if (!Domain.Gs1.Gtin.TryParse(f.Gtin, out var g, out var error)) errors.Add("gtin", error!);
            else lotKey = LotKey.Of(g.Value, f.Lot);
        }
        var result = Blank(f.Result);
        if (result is not null && !Results.Contains(result)) errors.Add("result", $"The result must be one of: {string.Join(", ", Results)}.");
        string? province = null;
        if (Blank(f.Province) is { } p)
        {
            if (Lookup.Api.Verification.Provinces.Find(p) is { } known) province = known.Name;
            else errors.Add("province", "Unknown province.");
        }
        var from = Day(f.From, "from", errors);
        var to = Day(f.To, "to", errors);
        if (from is { } a && to is { } b && b < a) errors.Add("to", "The period ends before it starts.");
        bool published = false;
        if (Blank(f.Published) is { } text && !bool.TryParse(text, out published)) errors.Add("published", "Use true or false.");
        if (!errors.IsValid) return Outcome<InspectionFilter>.Invalid(errors);
        // Days are Vietnam's: [from 00:00, to + 1 day 00:00) at UTC+7.
        return Outcome<InspectionFilter>.Ok(new InspectionFilter(new InspectionQuery(lotKey, Blank(f.Inspector), result,
            from is { } d1 ? new DateTimeOffset(d1.ToDateTime(TimeOnly.MinValue), VietnamTime.Offset) : null,
            to is { } d2 ? new DateTimeOffset(d2.AddDays(1).ToDateTime(TimeOnly.MinValue), VietnamTime.Offset) : null,
            published, Math.Clamp(f.Max ?? 200, 1, 1000)), province));
    }

    /// <summary>
    /// Inspections matching the filter, newest first. The province is derived from each record's
    /// GPS position, so it is filtered here, among the newest 1000 that match the other filters.
    /// </summary>
    public async Task<InspectionList> QueryAsync(InspectionFilter filter, CancellationToken ct)
    {
        var query = filter.Province is null ? filter.Query : filter.Query with { Max = 1000 };
        var views = new List<InspectionView>();
        foreach (var i in await store.QueryInspectionsAsync(query, ct))
        {
            var view = await ViewAsync(i, ct);
            if (filter.Province is null || view.Province == filter.Province) views.Add(view);
            if (views.Count == filter.Query.Max) break;
        }
        return new InspectionList(views);
    }

    /// <summary>Inspections of any of <paramref name="gtins"/> (a producer's products), newest first, among the newest 1000.</summary>
    public async Task<IReadOnlyList<InspectionView>> ListAboutAsync(IReadOnlySet<string> gtins, int max, CancellationToken ct)
    {
        if (gtins.Count == 0) return [];
        var views = new List<InspectionView>();
        foreach (var i in await store.QueryInspectionsAsync(new InspectionQuery(Max: 1000), ct))
        {
            var view = await ViewAsync(i, ct);
            if (view.Gtin is not null && gtins.Contains(view.Gtin)) views.Add(view);
            if (views.Count == max) break;
        }
        return views;
    }

    /// <summary>Publishes the outcome on /canh-bao and in the warnings feed (or withdraws it, with a reason). Audited.</summary>
    public async Task<Outcome<InspectionView>> SetPublishedAsync(ClaimsPrincipal user, string id, bool publish, string? reason, CancellationToken ct)
    {
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        // Taking a published finding down must say why; publishing it may.
        if (!publish && reason is null) return Outcome<InspectionView>.Invalid("reason", "A reason is required.");
        if (reason?.Length > MaxReason) return Outcome<InspectionView>.Invalid("reason", $"At most {MaxReason} characters are allowed.");
        var inspection = await store.GetInspectionAsync(id, ct);
        if (inspection is null) return Outcome<InspectionView>.NotFound($"There is no inspection '{id}'.");
        if ((inspection.PublishedAt is not null) == publish) return Outcome<InspectionView>.Ok(await ViewAsync(inspection, ct));
        // The public warning links to the product's page: a code that names no product has none.
        if (publish && !ScannedCode.TryParse(inspection.Code, out _, out _))
            return Outcome<InspectionView>.Conflict("The inspected code names no product, so there is no product page to link the published outcome to.");
        var now = time.GetUtcNow();
        var entry = StaffAudit.Entry(user, now, publish ? "inspection.publish" : "inspection.unpublish", "inspection:" + id, reason,
            $"{inspection.Result} · {inspection.Code}");
        if (!await store.SetInspectionPublishedAsync(id, publish ? now : null, entry, ct))
            return Outcome<InspectionView>.NotFound($"There is no inspection '{id}'.");
        return Outcome<InspectionView>.Ok(await ViewAsync(inspection with { PublishedAt = publish ? now : null }, ct));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static DateOnly? Day(string? text, string field, ValidationErrors errors)
    {
        if (Blank(text) is not { } t) return null;
        if (DateOnly.TryParseExact(t, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
            return day;
        errors.Add(field, "Use a date as yyyy-MM-dd.");
        return null;
    }

    private readonly Dictionary<string, Inspector?> _inspectors = [];

    private async Task<InspectionView> ViewAsync(Inspection i, CancellationToken ct)
    {
        Inspector? inspector;
        lock (_inspectors) _inspectors.TryGetValue(i.InspectorId, out inspector);
        if (inspector is null)
        {
            inspector = await accounts.GetInspectorAsync(i.InspectorId, ct);
            lock (_inspectors) _inspectors[i.InspectorId] = inspector;
        }
        // A code without a lot (a bare GTIN) still names the product.
        var gtin = (i.LotKey is null ? null : LotKey.GtinOf(i.LotKey)) ?? (ScannedCode.TryParse(i.Code, out var scanned, out _) ? scanned.Gtin.Value : null);
        return new InspectionView(i.Id, i.InspectorId, inspector?.Name, inspector?.Agency, i.CreatedAt, i.InspectedAt, i.Code,
            gtin, i.LotKey is null ? null : LotKey.LotOf(i.LotKey), i.Result, i.Notes, i.Latitude, i.Longitude,
            i.ClientRef, i.PhotoContentType is null ? null : $"/api/v1/inspections/{i.Id}/photo",
            i.Latitude is { } lat && i.Longitude is { } lon ? Lookup.Api.Verification.Provinces.Nearest(lat, lon).Name : null, i.PublishedAt, i.Place);
    }

    private static string NewId() => $"insp_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ClientRefPattern();
}
