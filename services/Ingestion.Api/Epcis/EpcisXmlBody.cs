namespace Traceability.Ingestion.Api.Epcis;

/// <summary>
/// The EPCIS XML binding at the HTTP edge: reads an XML capture body (size limit first, then <see cref="EpcisXml"/>,
/// which refuses DTDs and validates EPCIS 2.0 against the XSDs) into the JSON binding's form, so that
/// <see cref="CaptureService"/> applies every rule to it unchanged; and says whether a query asks for XML.
/// </summary>
public static class EpcisXmlBody
{
    public static bool IsXml(string? contentType) =>
        contentType is not null && (contentType.StartsWith("application/xml", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("text/xml", StringComparison.OrdinalIgnoreCase));

    /// <summary>A capture body as JSON-LD (an EPCISDocument, or one event), or a problem (413, 400 naming each error's path).</summary>
    public static async Task<(JsonDocument? Document, Results<ValidationProblem, ProblemHttpResult>? Problem)> ReadAsync(HttpRequest request, long limit, bool singleEvent)
    {
        var (body, problem) = await JsonBody.ReadBoundedAsync(request, limit, "an EPCIS XML document");
        if (body is null) return (null, problem);
        var result = EpcisXml.Read(body.Value, limit, singleEvent);
        if (!result.IsValid) return (null, Problem.Validation(new Dictionary<string, string[]>(result.Errors)));
        return (JsonSerializer.SerializeToDocument(result.Json!), null);
    }

    /// <summary>The body as JSON (JSON binding) or converted from XML (XML binding); 415 for anything else.</summary>
    public static Task<(JsonDocument? Document, Results<ValidationProblem, ProblemHttpResult>? Problem)> ReadCaptureAsync(HttpRequest request, long limit, bool singleEvent)
    {
        if (IsXml(request.ContentType)) return ReadAsync(request, limit, singleEvent);
        if (JsonBody.IsJson(request.ContentType)) return JsonBody.ReadDocumentAsync(request, limit);
        return Task.FromResult<(JsonDocument?, Results<ValidationProblem, ProblemHttpResult>?)>((null, Problem.UnsupportedMediaType(
            "Send the EPCIS document as application/ld+json, application/json (JSON binding), application/xml or text/xml (XML binding).")));
    }
}
