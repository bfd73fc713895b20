using AnyProblem = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Traceability.Ingestion.Api.Epcis;

public sealed record CaptureJobResponse(
    string CaptureID, bool Running, bool Success, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt,
    IReadOnlyList<string> Errors, int EventCount, int DuplicateCount, string CaptureErrorBehaviour)
{
    public static CaptureJobResponse From(CaptureJob j) =>
        new(j.CaptureId, j.Running, j.Success, j.CreatedAt, j.FinishedAt, j.Errors, j.EventCount, j.DuplicateCount, j.ErrorBehaviour);
}

/// <summary>EPCIS 2.0 capture and query (DESIGN §4.4).</summary>
public static class EpcisApi
{
    public static RouteGroupBuilder MapEpcisApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/epcis").WithTags("EPCIS 2.0").AddEndpointFilter(EpcisProtocol.NegotiateAsync);
        EpcisProtocol.MapOptions(group);
        // Capturing is a producer's; reading is a producer's (its own events) or the admin's (all). OPTIONS needs no key.
        var producers = group.MapGroup("").RequireAuthorization(Policies.Producer);
        var readers = group.MapGroup("").RequireAuthorization(Policies.AdminOrProducer);
        producers.MapPost("/capture", Capture).WithName("Capture")
            .WithSummary("Capture an EPCISDocument. All events are stored, or none (rollback); with GS1-Capture-Error-Behaviour: proceed, " +
                         "the valid events are stored and the job lists the others' errors. Events already stored are skipped.")
            .Accepts<object>("application/json", "application/ld+json", "application/xml", "text/xml")
            .WithUploadLimits(null); // JsonBody / EpcisXmlBody enforce Capture:MaxDocumentBytes (10 MB) while reading
        readers.MapGet("/capture/{captureId}", GetCaptureJob).WithName("GetCaptureJob")
            .WithSummary("The status of a capture job.");
        producers.MapPost("/events", CaptureOne).WithName("CaptureEvent")
            .WithSummary("Capture one EPCIS event.").Accepts<object>("application/json", "application/ld+json", "application/xml", "text/xml")
            .WithUploadLimits(null);
        readers.MapGet("/events", Query).WithName("QueryEvents")
            .WithSummary("Query events (EPCIS 2.0 query parameters); paged with perPage and nextPageToken.");
        readers.MapEpcisResources();
        group.MapNamedQueries();
        readers.MapGet("/events/{**eventId}", GetEvent).WithName("GetEvent")
            .WithSummary("One event by its (URL-escaped) eventID.");
        return group;
    }

    private static async Task<Results<Accepted<CaptureJobResponse>, AnyProblem>> Capture(HttpRequest request, ClaimsPrincipal user, CaptureService capture,
        IOptions<CaptureOptions> options, CancellationToken ct)
    {
        var (document, problem) = await EpcisXmlBody.ReadCaptureAsync(request, options.Value.MaxDocumentBytes, singleEvent: false);
        if (problem is not null) return problem;
        using (document)
        {
            var behaviour = request.Headers[EpcisProtocol.CaptureErrorBehaviourHeader].ToString() is { Length: > 0 } asked ? asked : CaptureJob.Rollback;
            var outcome = await capture.CaptureDocumentAsync(user.ProducerId()!, document!.RootElement, ct, behaviour);
            return outcome.IsOk
                ? TypedResults.Accepted($"/epcis/capture/{outcome.Value!.Job.CaptureId}", CaptureJobResponse.From(outcome.Value.Job))
                : outcome.ToProblem();
        }
    }

    private static async Task<Results<Created<CaptureJobResponse>, AnyProblem>> CaptureOne(HttpRequest request, ClaimsPrincipal user, CaptureService capture, CancellationToken ct)
    {
        var (document, problem) = await EpcisXmlBody.ReadCaptureAsync(request, 1024 * 1024, singleEvent: true);
        if (problem is not null) return problem;
        using (document)
        {
            var outcome = await capture.CaptureEventAsync(user.ProducerId()!, document!.RootElement, ct);
            if (!outcome.IsOk) return outcome.ToProblem();
            var (job, eventIds) = (outcome.Value!.Job, outcome.Value.EventIds);
            return TypedResults.Created($"/epcis/events/{Uri.EscapeDataString(eventIds[0])}", CaptureJobResponse.From(job));
        }
    }

    private static async Task<Results<Ok<CaptureJobResponse>, ProblemHttpResult>> GetCaptureJob(string captureId, ClaimsPrincipal user, IEventStore events, CancellationToken ct)
    {
        var job = await events.GetCaptureJobAsync(captureId, ct);
        return job is not null && (user.IsAdmin() || job.ProducerId == user.ProducerId())
            ? TypedResults.Ok(CaptureJobResponse.From(job))
            : Problem.NotFound($"No capture job '{captureId}'.");
    }

    private static Task<IResult> Query(HttpContext context, ClaimsPrincipal user, IEventStore events, CancellationToken ct) =>
        QueryAsync(context, user, events, null, ct);

    /// <summary>GET /epcis/events, and the top-level resources' /{value}/events, whose <paramref name="scope"/> adds the path's filter.</summary>
    /// <paramref name="named"/>: the query when it is not the request's own parameters (a named query's, parsed with its @context).
    internal static async Task<IResult> QueryAsync(HttpContext context, ClaimsPrincipal user, IEventStore events,
        Func<EventQuery, EventQuery>? scope, CancellationToken ct, Outcome<EventQuery>? named = null)
    {
        var parsed = named ?? EpcisQueryParameters.Parse(context.Request.Query, user.IsAdmin() ? null : user.ProducerId());
        if (!parsed.IsOk) return parsed.ToProblem();
        var query = scope is null ? parsed.Value! : scope(parsed.Value!);
        EventPage page;
        try
        {
            page = await events.QueryEventsAsync(query, ct);
        }
        catch (ArgumentException)
        {
            return Problem.Validation("nextPageToken", "The page token is not valid for this query: pass the nextPageToken of the previous page " +
                "with the same orderBy and orderDirection, or start again without it.");
        }
        if (page.NextPageToken is { } token && query.EventCountLimit is null)
        {
            context.Response.Headers["GS1-Next-Page-Token"] = token;
            var next = QueryString.Create(context.Request.Query
                .Where(p => p.Key != "nextPageToken")
                .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
                .Append(new("nextPageToken", token)));
            context.Response.Headers.Link = $"<{context.Request.PathBase}{context.Request.Path}{next}>; rel=\"next\"";
        }
        if (EpcisProtocol.WantsXml(context.Request, out var cbvFormat))
            return TypedResults.Text(EpcisXmlWriter.WriteQueryDocument(page.Events.Select(e => e.Json), cbvFormat), "application/xml", Encoding.UTF8);
        var body = EpcisJson.WriteQueryDocument(page.Events.Select(e => e.Json));
        return TypedResults.Text(body, "application/ld+json", Encoding.UTF8);
    }

    private static async Task<IResult> GetEvent(HttpRequest request, string eventId, ClaimsPrincipal user, IEventStore events, CancellationToken ct)
    {
        var stored = await events.GetEventAsync(Uri.UnescapeDataString(eventId), ct);
        if (stored is null || !(user.IsAdmin() || stored.ProducerId == user.ProducerId()))
            return Problem.NotFound($"No event '{eventId}'.");
        // XML has no document for a lone event: the answer is a query document holding it.
        return EpcisProtocol.WantsXml(request, out var cbvFormat)
            ? TypedResults.Text(EpcisXmlWriter.WriteQueryDocument([stored.Json], cbvFormat), "application/xml", Encoding.UTF8)
            : TypedResults.Text(stored.Json, "application/ld+json", Encoding.UTF8);
    }
}
