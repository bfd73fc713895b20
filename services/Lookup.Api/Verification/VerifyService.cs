namespace Traceability.Lookup.Api.Verification;

/// <summary>
/// Who is scanning. Source is a <see cref="ScanSources"/> value; ProducerId is set for a producer's
/// key; Client is the anonymous pseudonym (<see cref="ClientPseudonym"/>).
/// </summary>
public sealed record Scanner(string Source, string? ProducerId, string? Client)
{
    public static readonly Scanner Anonymous = new(ScanSources.Consumer, null, null);
}

/// <summary>
/// Turns a scanned text into a verdict (DESIGN §4.5) through <see cref="CodeAssessor"/> and
/// <see cref="VerdictRules"/>, and records the scan: an inspector's, staff member's or the owning
/// producer's place is attested (GPS, else the chosen province); an anonymous one only claimed.
/// </summary>
public sealed class VerifyService(
    CodeAssessor assessor, ICatalogStore catalog, IAccountStore accounts, ScanLog scanLog,
    TimeProvider time, LookupTelemetry telemetry)
{
    public async Task<Outcome<VerifyResponse>> VerifyAsync(VerifyRequest request, Scanner scanner, string baseUrl, string lang, CancellationToken ct)
    {
        if (!ScannedCode.TryParse(request.Code, out var code, out var error))
            return Outcome<VerifyResponse>.Invalid("code", lang == "en" ? error! : CodeMessages.Vietnamese(error!));
        foreach (var (field, message) in Coordinates.Problems(request.Latitude, request.Longitude))
            return Outcome<VerifyResponse>.Invalid(field, message);
        var now = time.GetUtcNow();
        var gtin = code.Gtin.Value;
        var attested = scanner.Source is ScanSources.Inspector or ScanSources.Staff
            || (scanner.Source == ScanSources.Producer && (await catalog.GetProductAsync(gtin, ct))?.ProducerId == scanner.ProducerId);
        var province = attested && request.Latitude is { } lat && request.Longitude is { } lon
            ? Provinces.Nearest(lat, lon).Name
            : Provinces.Find(request.Province)?.Name;
        var current = code.Lot is null ? null : new ScanRecord(now, LotKey.Of(gtin, code.Lot), code.Serial, province, "verify",
            scanner.Client, scanner.Source, attested && province is not null);

        var inspector = scanner.Source is ScanSources.Inspector or ScanSources.Staff;
        var assessment = await assessor.AssessAsync(code, current, withHistory: inspector, ct);
        var judgement = assessment.Judgement;
        telemetry.Verdicts.Add(1, LookupTelemetry.Tag("verdict", judgement.Verdict));
        if (assessment.View is null)
        {
            // Counted in the periodic report as an unknown-code scan, never part of a lot's history; the
            // early-warning engine counts it per (GTIN, province, day) when the GTIN is a real producer's.
            scanLog.Record((current ?? new ScanRecord(now, ScanRecord.ProductKey(gtin), null, province, "verify", scanner.Client, scanner.Source))
                with { Unknown = true });
            return Outcome<VerifyResponse>.Ok(Respond(judgement, code, null, null, lang, baseUrl));
        }
        if (current is not null) scanLog.Record(current);

        var response = Respond(judgement, code, assessment.View, assessment.Issued?.Serial ?? code.Serial, lang, baseUrl);
        if (inspector) response = response with { Inspection = await InspectionAsync(gtin, assessment.History, now, ct) };
        return Outcome<VerifyResponse>.Ok(response);
    }

    private static VerifyResponse Respond(Judgement judgement, ScannedCode code, ProvenanceView? view, string? serial, string lang, string baseUrl)
    {
        VerifiedProduct? product = view is null ? null : new VerifiedProduct(view.Product.Gtin, view.Product.Name, view.Product.Brand,
            view.Product.ImageUrl, view.Producer, baseUrl + new DigitalLink(code.Gtin, Lot: code.Lot, Serial: serial).Path);
        return new VerifyResponse(judgement.Verdict, Verdicts.Name(judgement.Verdict).For(lang), judgement.Assurance,
            [.. judgement.Reasons.Select(r => new VerifyReason(r.Code, r.Message.For(lang)))],
            code.Text, product, view?.Lot, serial, view?.Status, view?.Recall, null);
    }

    private async Task<InspectorDetail?> InspectionAsync(string gtin, IReadOnlyList<ScanRecord> history, DateTimeOffset now, CancellationToken ct)
    {
        var product = await catalog.GetProductAsync(gtin, ct);
        var producer = product is null ? null : await accounts.GetProducerAsync(product.ProducerId, ct);
        if (producer is null) return null;
        var consumer = history.Where(s => s.Source == ScanSources.Consumer).ToList();
        var summary = new ScanSummary(history.Count, history.Count(s => s.Time >= now.AddHours(-24)),
            history.Count == 0 ? null : history.Min(s => s.Time), history.Count == 0 ? null : history.Max(s => s.Time),
            history.Where(s => s.Province is not null).GroupBy(s => s.Province!)
                .Select(g => new ProvinceCount(g.Key, g.Count())).OrderByDescending(p => p.Count).ThenBy(p => p.Province, StringComparer.Ordinal).ToList())
        {
            DistinctClients = CloneDetector.DistinctConsumerClients(consumer),
            Attested = history.Count(s => s.Attested),
        };
        return new InspectorDetail(summary, new ProducerContact(producer.Name, producer.TaxCode, producer.Address, producer.Province,
            producer.Phone, producer.Email));
    }
}
