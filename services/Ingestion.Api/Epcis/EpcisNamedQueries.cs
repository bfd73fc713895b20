using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;
using Traceability.Ingestion.Api.Epcis.Subscriptions;
using AnyProblem = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Traceability.Ingestion.Api.Epcis;

/// <summary>
/// EPCIS 2.0 named queries (REST binding <c>/queries</c>): a query definition saved under a name and
/// run later with <c>GET /epcis/queries/{name}/events</c>. The definition's parameters are the ones
/// <c>GET /epcis/events</c> takes (same parser, same errors, under <c>query.</c>); each producer has
/// its own namespace and its queries see only its own events, as its reads do.
/// Subscriptions to them (webhook, WebSocket) are in <see cref="SubscriptionsApi"/>.
/// </summary>
public static partial class EpcisNamedQueries
{
    public const int MaxDefinitionBytes = 64 * 1024;
    public const int MaxQueriesPerOwner = 100;

    /// <summary>What GET …/events adds to the saved definition: only the paging of the answer.</summary>
    private static readonly HashSet<string> RunParameters = new(StringComparer.Ordinal) { "perPage", "nextPageToken" };

    /// <summary>Subscription parameters of the binding (WebSocket streaming and schedules).</summary>
    private static readonly HashSet<string> SubscriptionParameters = new(StringComparer.Ordinal)
        { "stream", "second", "minute", "hour", "dayOfMonth", "month", "dayOfWeek", "initialRecordTime", "reportIfEmpty" };


    internal static void MapNamedQueries(this RouteGroupBuilder group)
    {
        // Every route under /epcis/queries is a producer's (or the admin's) own: the policy is the group's.
        var queries = group.MapGroup("").RequireAuthorization(Policies.AdminOrProducer);
        queries.MapPost("/queries", Create).WithName("CreateNamedQuery")
            .WithSummary("Save a named query: {\"name\": \"…\", \"query\": {\"EQ_bizStep\": [\"shipping\"], …}} (the parameters of GET /epcis/events).")
            .Accepts<object>("application/json").WithUploadLimits(null);
        queries.MapGet("/queries", List).WithName("ListNamedQueries").WithSummary("The caller's named queries.");
        queries.MapGet("/queries/{queryName}", Get).WithName("GetNamedQuery").WithSummary("One named query's definition.");
        queries.MapDelete("/queries/{queryName}", Delete).WithName("DeleteNamedQuery").WithSummary("Delete a named query.");
        queries.MapGet("/queries/{queryName}/events", Run).WithName("RunNamedQuery")
            .WithSummary("Run a named query; paged with perPage and nextPageToken like GET /epcis/events.");
        queries.MapSubscriptions();
    }

    private static async Task<Results<Created<JsonObject>, AnyProblem>> Create(HttpRequest request, ClaimsPrincipal user, INamedQueryStore store, TimeProvider time, CancellationToken ct)
    {
        var (document, problem) = await JsonBody.ReadDocumentAsync(request, MaxDefinitionBytes);
        if (problem is not null) return problem;
        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (AnyProblem)Problem.Validation("$", "Send an object: {\"name\": \"…\", \"query\": {…}}.");
            var errors = new ValidationErrors();
            var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : null;
            if (name is null) errors.Add("name", "Give the query a name.");
            else if (!NamePattern().IsMatch(name)) errors.Add("name", "A name has 1 to 100 letters, digits, '.', '_', '~' or '-' (it becomes part of a URL).");
            if (!root.TryGetProperty("query", out var definition) || definition.ValueKind != JsonValueKind.Object)
                errors.Add("query", "Give the query's parameters as an object, e.g. {\"EQ_bizStep\": [\"shipping\"]}.");
            else
                Check(definition, user, errors);
            if (!errors.IsValid) return (AnyProblem)Problem.Validation(errors);

            var owner = Owner(user);
            if ((await store.ListNamedQueriesAsync(owner, ct)).Count >= MaxQueriesPerOwner)
                return (AnyProblem)Problem.Conflict($"You have {MaxQueriesPerOwner} named queries, the most one account may keep: delete one first.");
            var saved = new NamedQuery(owner, name!, definition.GetRawText(), time.GetUtcNow());
            return await store.AddNamedQueryAsync(saved, ct)
                ? TypedResults.Created($"/epcis/queries/{name}", Describe(saved))
                : (AnyProblem)Problem.Conflict($"You already have a query named '{name}': delete it first, or choose another name.");
        }
    }

    private static async Task<JsonHttpResult<JsonArray>> List(ClaimsPrincipal user, INamedQueryStore store, CancellationToken ct) =>
        TypedResults.Json(new JsonArray([.. (await store.ListNamedQueriesAsync(Owner(user), ct)).Select(Describe)]));

    private static async Task<Results<JsonHttpResult<JsonObject>, ProblemHttpResult>> Get(string queryName, ClaimsPrincipal user, INamedQueryStore store, CancellationToken ct) =>
        await store.GetNamedQueryAsync(Owner(user), queryName, ct) is { } saved ? TypedResults.Json(Describe(saved)) : NotFound(queryName);

    /// <summary>Its subscriptions go with it.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string queryName, ClaimsPrincipal user, INamedQueryStore store, ISubscriptionStore subscriptions,
        CancellationToken ct)
    {
        var owner = Owner(user);
        if (!await store.DeleteNamedQueryAsync(owner, queryName, ct)) return NotFound(queryName);
        foreach (var s in await subscriptions.ListSubscriptionsAsync(owner, queryName, ct))
            await subscriptions.DeleteSubscriptionAsync(owner, s.Id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Run(string queryName, HttpContext context, ClaimsPrincipal user, INamedQueryStore store,
        IEventStore events, IOptions<SubscriptionOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (await store.GetNamedQueryAsync(Owner(user), queryName, ct) is not { } saved) return NotFound(queryName);
        if (context.WebSockets.IsWebSocketRequest)
            return await SubscriptionsApi.StreamAsync(context, saved, events, options.Value, time, ct);
        if (context.Request.Query.Keys.FirstOrDefault(SubscriptionParameters.Contains) is { } streaming)
            return Problem.Validation(streaming, "stream and schedules work over a WebSocket (Upgrade: websocket); " +
                "for webhooks POST /epcis/queries/{name}/subscriptions.");
        if (context.Request.Query.Keys.FirstOrDefault(k => !RunParameters.Contains(k)) is { } fixedOne)
            return Problem.Validation(fixedOne, "A named query's parameters are fixed when it is saved; only perPage and nextPageToken may be added. " +
                "Use GET /epcis/events for another query.");
        using var definition = JsonDocument.Parse(saved.Definition);
        return await EpcisApi.QueryAsync(context, user, events, null, ct,
            Parse(definition.RootElement, user.IsAdmin() ? null : user.ProducerId(), context.Request.Query));
    }

    /// <summary>A saved query as its owner runs it (subscriptions, which run without a request).</summary>
    internal static Outcome<EventQuery> Parse(NamedQuery saved)
    {
        using var document = JsonDocument.Parse(saved.Definition);
        return Parse(document.RootElement, saved.Owner == NamedQuery.StaffOwner ? null : saved.Owner);
    }

    private static Outcome<EventQuery> Parse(JsonElement definition, string? producerId, IQueryCollection? paging = null)
    {
        var parameters = Parameters(definition);
        if (paging is not null)
            foreach (var (key, value) in paging) parameters[key] = value;
        return EpcisQueryParameters.Parse(new QueryCollection(parameters), producerId, Prefixes(definition));
    }

    /// <summary>The query's @context (the REST binding's query schema allows one): prefixes for CURIE extension-field names.</summary>
    private static Dictionary<string, string> Prefixes(JsonElement definition)
    {
        var prefixes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (definition.TryGetProperty("@context", out var context)) JsonLdContext.Collect(context, prefixes);
        return prefixes;
    }

    /// <summary>The definition's values must be what a URL's query string can say, and the query must parse.</summary>
    private static void Check(JsonElement definition, ClaimsPrincipal user, ValidationErrors errors)
    {
        foreach (var property in definition.EnumerateObject())
        {
            if (property.Name == "@context")
            {
                if (property.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.String))
                    errors.Add("query.@context", "Give the JSON-LD @context as an object of prefixes (or an array holding one).");
                continue;
            }
            var ok = property.Value.ValueKind switch
            {
                JsonValueKind.String or JsonValueKind.Number => true,
                JsonValueKind.Array => property.Value.EnumerateArray().All(v => v.ValueKind is JsonValueKind.String or JsonValueKind.Number),
                JsonValueKind.True or JsonValueKind.False => property.Name.StartsWith("EXISTS_", StringComparison.Ordinal) || property.Name == "EQ_booleanValue",
                _ => false,
            };
            if (!ok) errors.Add("query." + property.Name, "Give a string, a number or an array of strings or numbers (true or false only for EXISTS_ parameters and EQ_booleanValue).");
            else if (RunParameters.Contains(property.Name))
                errors.Add("query." + property.Name, "Paging is chosen when the query is run (GET /epcis/queries/{name}/events?perPage=…), not saved with it.");
        }
        if (!errors.IsValid) return;
        var parsed = Parse(definition, user.IsAdmin() ? null : user.ProducerId());
        if (!parsed.IsOk)
            foreach (var (field, messages) in parsed.Errors!)
                foreach (var message in messages) errors.Add("query." + field, message);
    }

    // As a URL's query string would say it: numbers as written, EXISTS_ true as no value, other booleans as true/false.
    private static Dictionary<string, StringValues> Parameters(JsonElement definition) =>
        definition.EnumerateObject().Where(p => p.Name != "@context").ToDictionary(p => p.Name, p => p.Value.ValueKind switch
        {
            JsonValueKind.Array => new StringValues([.. p.Value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetRawText() : v.GetString())]),
            JsonValueKind.Number => new StringValues(p.Value.GetRawText()),
            JsonValueKind.True => new StringValues(p.Name.StartsWith("EXISTS_", StringComparison.Ordinal) ? "" : "true"),
            JsonValueKind.False => new StringValues("false"),
            _ => new StringValues(p.Value.GetString()),
        }, StringComparer.Ordinal);

    private static JsonObject Describe(NamedQuery q) => new() { ["name"] = q.Name, ["query"] = JsonNode.Parse(q.Definition) };

    internal static string Owner(ClaimsPrincipal user) => user.IsAdmin() ? NamedQuery.StaffOwner : user.ProducerId()!;

    internal static ProblemHttpResult NotFound(string name) => Problem.NotFound($"You have no query named '{name}' (GET /epcis/queries lists yours).");

    [GeneratedRegex("^[A-Za-z0-9._~-]{1,100}$")]
    private static partial Regex NamePattern();
}
