namespace Traceability.Ingestion.Api.Epcis;

/// <summary>
/// The REST binding's top-level resources, read-only and scoped like GET /epcis/events: /eventTypes (the five
/// types), /bizSteps, /dispositions, /bizLocations, /readPoints and /epcs (the distinct values in the caller's
/// events; one page of perPage), each value's sub-resources (<c>["events"]</c>) and its events — the same
/// query as /epcis/events with EQ_bizStep (etc.) set by the path.
/// </summary>
public static class EpcisResources
{
    /// <summary>A top-level resource: its route name, the query parameter its path value sets, how a value is read.</summary>
    private sealed record Resource(string Name, string Parameter, EventValueKind? Kind,
        Func<string, (Func<EventQuery, EventQuery>? Scope, string? Error)> Read);

    private static readonly Resource[] Resources =
    [
        new("eventTypes", "eventType", null, v => EpcisEvent.EventTypes.Contains(v)
            ? (q => q with { EventTypes = [v] }, null)
            : (null, $"No event type '{v}': the types are {string.Join(", ", EpcisEvent.EventTypes)}.")),
        new("bizSteps", "EQ_bizStep", EventValueKind.BizStep, v => Cbv.TryNormalizeBizStep(v, out var n)
            ? (q => q with { BizSteps = [n] }, null)
            : (null, $"'{v}' is not a CBV business step or a URI.")),
        new("dispositions", "EQ_disposition", EventValueKind.Disposition, v => Cbv.TryNormalizeDisposition(v, out var n)
            ? (q => q with { Dispositions = [n] }, null)
            : (null, $"'{v}' is not a CBV disposition or a URI.")),
        new("bizLocations", "EQ_bizLocation", EventValueKind.BizLocation,
            v => (q => q with { BizLocations = [EpcIdentifier.ToLocationKey(v)] }, null)),
        new("readPoints", "EQ_readPoint", EventValueKind.ReadPoint,
            v => (q => q with { ReadPoints = [EpcIdentifier.ToLocationKey(v)] }, null)),
        new("epcs", "MATCH_anyEPC", EventValueKind.Epc, v => EpcIdentifier.TryToKey(v, out var key, out var error)
            ? (q => q with { KeyFilters = [.. q.KeyFilters, new KeyFilter(EventOrderTags.WhatRoles, [key])] }, null)
            : (null, $"'{v}': {error}")),
    ];

    /// <summary>The route patterns under /epcis (for the OPTIONS table).</summary>
    public static IEnumerable<string> Patterns =>
        Resources.SelectMany(r => new[] { $"/{r.Name}", $"/{r.Name}/{{{Singular(r.Name)}}}", $"/{r.Name}/{{{Singular(r.Name)}}}/events" });

    private static string Singular(string name) => name[..^1];

    /// <summary>Maps the top-level resources on <paramref name="group"/>, whose policy (admin or producer) they take.</summary>
    public static void MapEpcisResources(this RouteGroupBuilder group)
    {
        foreach (var resource in Resources)
        {
            var value = Singular(resource.Name);
            group.MapGet($"/{resource.Name}", (HttpContext http, ClaimsPrincipal user, IEventStore events, CancellationToken ct) =>
                    ListAsync(resource, http, user, events, ct))
                .WithName("List_" + resource.Name)
                .WithSummary(resource.Kind is null
                    ? "The EPCIS event types (a JSON-LD Collection)."
                    : $"The distinct {value} values in your events (a JSON-LD Collection; one page of perPage, 100 by default).");
            group.MapGet($"/{resource.Name}/{{{value}}}", (HttpContext http) => SubResources(resource, RouteValue(http, value)))
                .WithName("Get_" + resource.Name)
                .WithSummary($"The sub-resources of one {value} (URL-escaped): [\"events\"].");
            group.MapGet($"/{resource.Name}/{{{value}}}/events", (HttpContext http, ClaimsPrincipal user, IEventStore events, CancellationToken ct) =>
                    EventsAsync(resource, RouteValue(http, value), http, user, events, ct))
                .WithName("Events_" + resource.Name)
                .WithSummary($"Your events with this {value} (URL-escaped): /epcis/events?{resource.Parameter}=…, with the same query parameters and paging.");
        }
    }

    private static string RouteValue(HttpContext http, string name) => http.GetRouteValue(name)?.ToString() ?? "";

    // The route value keeps %2F escaped (a Digital Link in one segment): unescape it here.
    private static string Unescape(string id) => Uri.UnescapeDataString(id);

    private static IResult SubResources(Resource resource, string id)
    {
        var (_, error) = resource.Read(Unescape(id));
        return error is not null ? Problem.NotFound(error) : Collection(["events"]);
    }

    private static async Task<IResult> EventsAsync(Resource resource, string id, HttpContext http, ClaimsPrincipal user, IEventStore events, CancellationToken ct)
    {
        var (scope, error) = resource.Read(Unescape(id));
        if (error is not null) return Problem.NotFound(error);
        if (resource.Kind != EventValueKind.Epc && http.Request.Query.ContainsKey(resource.Parameter))
            return Problem.Validation(resource.Parameter, $"The path names the {Singular(resource.Name)} already; leave {resource.Parameter} out, or query /epcis/events.");
        return await EpcisApi.QueryAsync(http, user, events, scope, ct);
    }

    private static async Task<IResult> ListAsync(Resource resource, HttpContext http, ClaimsPrincipal user, IEventStore events, CancellationToken ct)
    {
        var perPage = EpcisQueryParameters.DefaultPerPage;
        foreach (var (name, raw) in http.Request.Query)
        {
            if (name == "perPage" && int.TryParse(raw, out var n) && n is >= 1 and <= EpcisQueryParameters.MaxPerPage) perPage = n;
            else if (name == "perPage") return Problem.Validation(name, $"perPage must be a whole number from 1 to {EpcisQueryParameters.MaxPerPage}.");
            else return Problem.Validation(name, "A top-level list takes only perPage: it is one page (the first perPage values, in ordinal order).");
        }
        if (resource.Kind is not { } kind) return Collection([.. EpcisEvent.EventTypes.Take(perPage)]);
        var values = await events.ListEventValuesAsync(user.IsAdmin() ? null : user.ProducerId(), kind, perPage, ct);
        return Collection(kind is EventValueKind.BizStep or EventValueKind.Disposition ? values : [.. values.Select(AsUri)]);
    }

    /// <summary>A stored key as a URI: GS1 keys (<c>414/{gln}</c>, <c>01/{gtin}/21/{serial}</c>) as Digital Links, other URIs as they are.</summary>
    private static string AsUri(string key) =>
        key.Length > 3 && char.IsAsciiDigit(key[0]) && key.Contains('/') ? "https://id.gs1.org/" + key : key;

    private static IResult Collection(IEnumerable<string> members) =>
        TypedResults.Text(new JsonObject
        {
            ["@context"] = new JsonArray(EpcisJson.ContextUri),
            ["type"] = "Collection",
            ["member"] = new JsonArray([.. members.Select(m => (JsonNode)m)]),
        }.ToJsonString(), "application/ld+json", System.Text.Encoding.UTF8);
}
