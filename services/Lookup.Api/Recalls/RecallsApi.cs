using System.Xml.Linq;
using Traceability.Domain.EarlyWarning;

namespace Traceability.Lookup.Api.Recalls;

public sealed record WarningLot(string Lot, string DigitalLink);

/// <summary>
/// One public warning. Kind <c>recall</c>: Reason and Severity are the recall's, IssuedAt its issue.
/// Kind <c>inspection</c>: a published inspection outcome — Result (the inspection vocabulary),
/// Reason its Vietnamese name, Province where it was found, IssuedAt when it was published.
/// </summary>
public sealed record Warning(string Id, string Kind, string Gtin, string? ProductName, IReadOnlyList<WarningLot> Lots, string Reason,
    string? Severity, DateTimeOffset IssuedAt, string? Result = null, string? Province = null, DateTimeOffset? InspectedAt = null);

/// <summary>
/// The public feed. <see cref="Warnings"/> stays the active recalls alone (the inspector app keeps it
/// as its offline recall list); the published inspection outcomes come in <see cref="Inspections"/>.
/// Both newest first; the Atom form merges them.
/// </summary>
public sealed record WarningsFeed(DateTimeOffset Updated, IReadOnlyList<Warning> Warnings, IReadOnlyList<Warning> Inspections,
    IReadOnlyList<VerificationAlert>? Alerts);

/// <summary>Recalls (admin or owning producer) and the public warnings feed, JSON or Atom (DESIGN §4.6).</summary>
internal static class RecallsApi
{
    public const string AtomMediaType = "application/atom+xml";

    public static IEndpointRouteBuilder MapRecalls(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1").WithTags("Recalls and warnings");
        group.MapPost("/recalls", Issue).RequireAuthorization(Policies.StaffWriterOrProducer).WithName("IssueRecall")
            .WithSummary("Recall lots of a product (admin, officer or the owning producer): status `recalled` at once on lookup and verify, synced to the portal. Audited.")
            .Accepts<RecallRequest>("application/json").Produces<RecallResponse>(StatusCodes.Status201Created);
        group.MapPost("/recalls/{id}/end", End).RequireAuthorization(Policies.StaffWriterOrProducer).WithName("EndRecall")
            .WithSummary("End a recall with a reason (admin, officer, or the producer that issued it): its lots return to their other status. Audited.")
            .Accepts<RecallEndRequest>("application/json").Produces<RecallResponse>();
        group.MapGet("/recalls/{id}", Get).AllowAnonymous().WithName("GetRecall").WithSummary("One recall (public).");
        group.MapGet("/warnings", Warnings).AllowAnonymous().WithName("Warnings")
            .WithSummary("Active recalls and published inspection outcomes, newest first (public), JSON or Atom (Accept: application/atom+xml). ?scope=alerts (admin): alerts from verification.");
        return routes;
    }

    private static async Task<IResult> Issue(HttpRequest request, ClaimsPrincipal user, RecallService service, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<RecallRequest>(request);
        if (problem is not null) return problem;
        var outcome = await service.IssueAsync(Issuer(user), body!, ct);
        return outcome.IsOk
            ? TypedResults.Created($"/api/v1/recalls/{outcome.Value!.Id}", RecallResponse.From(outcome.Value))
            : outcome.ToProblem();
    }

    private static async Task<IResult> End(string id, HttpRequest request, ClaimsPrincipal user, RecallService service, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<RecallEndRequest>(request);
        if (problem is not null) return problem;
        var outcome = await service.EndAsync(Issuer(user), id, body!.Reason, ct);
        return outcome.IsOk ? TypedResults.Ok(RecallResponse.From(outcome.Value!)) : outcome.ToProblem();
    }

    /// <summary>The authority (a named staff member, or "admin" for the bootstrap key) or the producer.</summary>
    private static RecallIssuer Issuer(ClaimsPrincipal user) => user.IsStaffWriter()
        ? new RecallIssuer(true, null, user.FindFirstValue(ClaimTypes.Name) ?? "admin")
        : new RecallIssuer(false, user.ProducerId(), "producer:" + user.ProducerId());

    private static async Task<IResult> Get(string id, IRecallStore store, CancellationToken ct) =>
        await store.GetRecallAsync(id, ct) is { } recall
            ? TypedResults.Ok(RecallResponse.From(recall))
            : Problem.NotFound($"There is no recall '{id}'.");

    private static async Task<IResult> Warnings(HttpContext http, ClaimsPrincipal user, PublicWarnings publicWarnings,
        PublicOrigin origin, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        IReadOnlyList<VerificationAlert>? alerts = null;
        if (http.Request.Query["scope"] == "alerts")
        {
            if (user.Identity?.IsAuthenticated != true)
                return TypedResults.Problem("Alerts are for authorities: send an admin key.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
            if (!user.IsAdmin()) return Problem.Forbidden("Alerts are for authorities (admin key).");
            alerts = await UnknownCodeAlertsAsync(http.RequestServices.GetService<IEarlyWarningStore>(), now, ct);
        }
        var baseUrl = origin.Of(http);
        var warnings = await publicWarnings.ListAsync(baseUrl, ct);
        var recalls = warnings.Where(w => w.Kind == PublicWarnings.RecallKind).ToList();
        var inspections = warnings.Where(w => w.Kind == PublicWarnings.InspectionKind).ToList();
        var updated = warnings.Count == 0 ? now : warnings.Max(w => w.IssuedAt);
        http.Response.Headers.AccessControlAllowOrigin = "*";
        http.Response.Headers.Vary = "Accept";
        http.Response.Headers.CacheControl = alerts is null ? "public, max-age=30" : "no-store";
        if (alerts is null && WantsAtom(http.Request))
            return TypedResults.Text(Atom(warnings, updated, baseUrl), AtomMediaType + "; charset=utf-8");
        return TypedResults.Ok(new WarningsFeed(updated, recalls, inspections, alerts));
    }

    /// <summary>
    /// The early-warning engine's durable <c>unknown_codes</c> alerts (codes never issued under a real
    /// producer's GTIN, clustered per province and day) last seen in the past 30 days, newest first.
    /// </summary>
    private static async Task<IReadOnlyList<VerificationAlert>> UnknownCodeAlertsAsync(IEarlyWarningStore? store, DateTimeOffset now, CancellationToken ct)
    {
        if (store is null) return [];
        var (items, _) = await store.ListEarlyAlertsAsync(new EarlyAlertQuery(Kind: AlertKinds.UnknownCodes.Name, Limit: 500), ct);
        return [.. items.Where(a => a.LastSeen >= now.AddDays(-30)).OrderByDescending(a => a.LastSeen).ThenBy(a => a.Id, StringComparer.Ordinal)
            .Select(a => new VerificationAlert(a.Id, a.Kind, a.Subject, a.Province.Length == 0 ? null : a.Province, (int)a.Count, a.FirstSeen, a.LastSeen))];
    }

    private static bool WantsAtom(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains(AtomMediaType, StringComparison.OrdinalIgnoreCase)
        || request.Query["format"] == "atom";

    /// <summary>RFC 4287: one entry per recall or published inspection, linking to each lot's page (or the product's).</summary>
    internal static string Atom(IReadOnlyList<Warning> warnings, DateTimeOffset updated, string baseUrl)
    {
        XNamespace a = "http://www.w3.org/2005/Atom";
        static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var feed = new XElement(a + "feed",
            new XAttribute(XNamespace.Xml + "lang", "vi"),
            new XElement(a + "id", baseUrl + "/api/v1/warnings"),
            new XElement(a + "title", "Cảnh báo thu hồi và kết quả kiểm tra — Recalls and inspection results"),
            new XElement(a + "updated", Time(updated)),
            new XElement(a + "link", new XAttribute("rel", "self"), new XAttribute("href", baseUrl + "/api/v1/warnings")),
            new XElement(a + "author", new XElement(a + "name", "Traceability")),
            warnings.Select(w => new XElement(a + "entry",
                // An inspection has no public resource of its own: a tag URI (RFC 4151) names it.
                new XElement(a + "id", w.Kind == PublicWarnings.RecallKind ? $"{baseUrl}/api/v1/recalls/{w.Id}" : $"tag:traceability,2026:inspection:{w.Id}"),
                new XElement(a + "title", Title(w)),
                new XElement(a + "updated", Time(w.IssuedAt)),
                new XElement(a + "published", Time(w.IssuedAt)),
                new XElement(a + "category", new XAttribute("term", w.Severity ?? w.Result ?? w.Kind)),
                new XElement(a + "summary", w.Reason),
                w.Lots.Select(l => new XElement(a + "link", new XAttribute("rel", "related"), new XAttribute("href", l.DigitalLink)))
                    .Prepend(new XElement(a + "link", new XAttribute("rel", "alternate"),
                        new XAttribute("href", w.Lots.Count > 0 ? w.Lots[0].DigitalLink : $"{baseUrl}/01/{w.Gtin}"))))));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), feed).Declaration + "\n" + feed;
    }

    private static string Title(Warning w)
    {
        var lots = w.Lots.Count == 0 ? "" : $" — lô {string.Join(", ", w.Lots.Select(l => l.Lot))}";
        return w.Kind == PublicWarnings.RecallKind
            ? $"Thu hồi ({w.Severity}): {w.ProductName ?? w.Gtin}{lots}"
            : $"Kết quả kiểm tra: {w.Reason}: {w.ProductName ?? w.Gtin}{lots}{(w.Province is null ? "" : $" ({w.Province})")}";
    }
}
