using Traceability.Domain;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Traceability.Domain.DigitalLinks;
using Traceability.Domain.Verification;
using Traceability.ServiceDefaults.Problems;
using Traceability.Storage;

namespace Traceability.Authority.Api.Inspections;

public sealed record CreateInspectionRequest(
    string? Code, string? Result, string? Notes, double? Latitude, double? Longitude,
    DateTimeOffset? InspectedAt = null, string? ClientRef = null, string? Place = null);

public sealed record InspectionView(
    string Id, string InspectorId, string? InspectorName, string? Agency, DateTimeOffset CreatedAt, DateTimeOffset InspectedAt,
    string Code, string? Gtin, string? Lot, string Result, string? Notes, double? Latitude, double? Longitude,
    string? ClientRef, string? Photo, string? Place);

public sealed record InspectionList(IReadOnlyList<InspectionView> Items);

/// <summary>What a stored (or already stored) inspection came to; Created is false for a replay.</summary>
public sealed record InspectionSaved(InspectionView Inspection, bool Created);

public sealed partial class InspectionService(
    IInspectionStore store, IAccountStore accounts, AuthorityTelemetry telemetry, TimeProvider time)
{
    /// <summary>The verdicts the app shows (the one list in the domain), plus the inspector's own conclusions.</summary>
    public static readonly string[] Results = [.. Verdicts.Precedence, "compliant", "violation", "seized"];

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
            string.IsNullOrWhiteSpace(r.Notes) ? null : r.Notes.Trim(), r.Latitude, r.Longitude, r.ClientRef, null, place);
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

    public async Task<InspectionList> ListAsync(string? lotKey, int? max, CancellationToken ct)
    {
        var list = await store.ListInspectionsAsync(lotKey, Math.Clamp(max ?? 200, 1, 1000), ct);
        var views = new List<InspectionView>(list.Count);
        foreach (var i in list) views.Add(await ViewAsync(i, ct));
        return new InspectionList(views);
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
        return new InspectionView(i.Id, i.InspectorId, inspector?.Name, inspector?.Agency, i.CreatedAt, i.InspectedAt, i.Code,
            i.LotKey?.Substring(3, 14), i.LotKey is null ? null : LotKey.LotOf(i.LotKey), i.Result, i.Notes, i.Latitude, i.Longitude,
            i.ClientRef, i.PhotoContentType is null ? null : $"/api/v1/inspections/{i.Id}/photo", i.Place);
    }

    private static string NewId() => $"insp_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ClientRefPattern();
}
