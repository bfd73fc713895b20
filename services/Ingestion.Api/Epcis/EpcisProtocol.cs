using Microsoft.AspNetCore.Hosting;
using Microsoft.Net.Http.Headers;

namespace Traceability.Ingestion.Api.Epcis;

/// <summary>
/// The REST binding's protocol layer for every resource under /epcis: the version headers on every
/// answer (set ahead of authentication, so 401s carry them too), version negotiation (406 for a
/// version outside 2.0), OPTIONS (204 with Allow and the capture limits), 406 for an Accept this
/// repository cannot answer, and a refusal of header values it does not implement yet.
/// </summary>
public static class EpcisProtocol
{
    public const string EpcisVersion = "2.0.0";
    public const string CbvVersion = "2.0.0";
    public const string CaptureErrorBehaviourHeader = "GS1-Capture-Error-Behaviour";

    /// <summary>Media types the query answers come in: JSON-LD (the default) and the XML binding.</summary>
    public static readonly string[] Produces = ["application/ld+json", "application/json"];

    /// <summary>The XML binding's media types (EPCISQueryDocument answers, EPCISDocument captures).</summary>
    public static readonly string[] ProducesXml = ["application/xml", "text/xml"];

    /// <summary>The EPCIS resources (route patterns under /epcis) and the methods each allows.</summary>
    private static readonly Dictionary<string, string> Allow = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["/"] = "OPTIONS",
        ["/capture"] = "POST, OPTIONS",
        ["/capture/{captureId}"] = "GET, OPTIONS",
        ["/events"] = "GET, POST, OPTIONS",
        ["/events/{**eventId}"] = "GET, OPTIONS",
        ["/queries"] = "GET, POST, OPTIONS",
        ["/queries/{queryName}"] = "GET, DELETE, OPTIONS",
        ["/queries/{queryName}/events"] = "GET, OPTIONS",
        ["/queries/{queryName}/subscriptions"] = "GET, POST, OPTIONS",
        ["/queries/{queryName}/subscriptions/{subscriptionID}"] = "GET, DELETE, OPTIONS",
    }.Concat(EpcisResources.Patterns.Select(p => KeyValuePair.Create(p, "GET, OPTIONS"))).ToDictionary(StringComparer.Ordinal);

    private static readonly string VendorVersion =
        typeof(EpcisProtocol).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";

    /// <summary>First in the pipeline: the version headers on every /epcis answer, 401s and 500s included.</summary>
    public static Task InvokeAsync(HttpContext http, Func<Task> next)
    {
        if (!http.Request.Path.StartsWithSegments("/epcis")) return next();
        var response = http.Response;
        response.OnStarting(() =>
        {
            response.Headers["GS1-EPCIS-Version"] = EpcisVersion;
            response.Headers["GS1-EPCIS-Min"] = EpcisVersion;
            response.Headers["GS1-EPCIS-Max"] = EpcisVersion;
            response.Headers["GS1-CBV-Version"] = CbvVersion;
            response.Headers["GS1-CBV-Min"] = CbvVersion;
            response.Headers["GS1-CBV-Max"] = CbvVersion;
            // No EPCIS/CBV extension profile (such as FIT) is implemented; user extensions are kept as sent.
            response.Headers["GS1-Extensions"] = "";
            response.Headers["GS1-Vendor-Version"] = VendorVersion;
            return Task.CompletedTask;
        });
        return next();
    }

    /// <summary>On every /epcis endpoint: what the request asks for that this repository cannot give → 406 (or 400).</summary>
    public static async ValueTask<object?> NegotiateAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Refusal(context.HttpContext.Request) is { } r
            ? TypedResults.Problem(r.Detail, statusCode: r.Status, title: r.Title)
            : await next(context);

    /// <summary>OPTIONS on an EPCIS resource: 204 with the methods it allows and the capture limits.</summary>
    public static void MapOptions(RouteGroupBuilder group)
    {
        foreach (var (pattern, methods) in Allow)
            group.MapMethods(pattern, [HttpMethods.Options], (HttpContext http, IOptions<CaptureOptions> capture) =>
            {
                var headers = http.Response.Headers;
                headers.Allow = methods;
                headers["GS1-EPCIS-Capture-Limit"] = capture.Value.MaxEventsPerCapture.ToString(System.Globalization.CultureInfo.InvariantCulture);
                headers["GS1-EPCIS-Capture-File-Size-Limit"] = capture.Value.MaxDocumentBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
                headers[CaptureErrorBehaviourHeader] = "all"; // the binding's word for "rollback and proceed"
                headers["GS1-EPC-Format"] = "Never_Translates";
                return TypedResults.NoContent();
            }).AllowAnonymous().ExcludeFromDescription();
    }

    private sealed record Refused(int Status, string Title, string Detail);

    private static Refused? Refusal(HttpRequest request)
    {
        var h = request.Headers;
        foreach (var (header, ours) in new[] { ("GS1-EPCIS-Version", EpcisVersion), ("GS1-CBV-Version", CbvVersion) })
            if (h[header].ToString() is { Length: > 0 } asked && !SameMinor(asked, ours))
                return NotAcceptable($"This repository speaks {header[4..^8]} {ours}; the request asked for {header} {asked}.");
        foreach (var (header, ours, atLeast) in new[]
                 {
                     ("GS1-EPCIS-Min", EpcisVersion, true), ("GS1-EPCIS-Max", EpcisVersion, false),
                     ("GS1-CBV-Min", CbvVersion, true), ("GS1-CBV-Max", CbvVersion, false),
                 })
        {
            if (h[header].ToString() is not { Length: > 0 } bound) continue;
            if (!Version.TryParse(bound, out var asked))
                return new Refused(400, "Bad request", $"{header} must be a version such as {ours}; got '{bound}'.");
            var version = Version.Parse(ours);
            if (atLeast ? asked > version : asked < version)
                return NotAcceptable($"The request asks for {header} {bound}, but this repository speaks only {ours}.");
        }
        if (h["GS1-EPC-Format"].ToString() is { Length: > 0 } format && format is not ("No_Preference" or "Never_Translates"))
            return NotAcceptable($"GS1-EPC-Format '{format}' is not supported: events are returned with their identifiers as captured (Never_Translates).");
        if (h["GS1-CBV-XML-Format"].ToString() is { Length: > 0 } cbvXml && cbvXml is not ("No_Preference" or "Never_Translates" or "Always_URN" or "Always_Web_URI"))
            return NotAcceptable($"GS1-CBV-XML-Format '{cbvXml}' is not a CBV format: use No_Preference, Never_Translates, Always_URN or Always_Web_URI.");
        if (h[CaptureErrorBehaviourHeader].ToString() is { Length: > 0 } behaviour && behaviour is not (CaptureJob.Rollback or CaptureJob.Proceed))
            return new Refused(StatusCodes.Status400BadRequest, "Bad request",
                $"GS1-Capture-Error-Behaviour '{behaviour}' is not a capture behaviour: use 'rollback' (all events or none, the default) or 'proceed' (the valid events are stored).");
        if (HttpMethods.IsGet(request.Method) && Quality(request, json: true) <= 0 && Quality(request, json: false) <= 0)
            return NotAcceptable($"Query answers come as {string.Join(" or ", Produces.Concat(ProducesXml))}; the request accepts only '{h.Accept}'.");
        return null;
    }

    private static Refused NotAcceptable(string detail) => new(StatusCodes.Status406NotAcceptable, "Not acceptable", detail);

    /// <summary>Same major and minor version: 2.0.x is answered by 2.0.0.</summary>
    private static bool SameMinor(string asked, string ours) =>
        Version.TryParse(asked, out var a) && Version.TryParse(ours, out var o) && a.Major == o.Major && a.Minor == o.Minor;

    /// <summary>
    /// Whether a query answer should be XML: the request's Accept ranks application/xml or text/xml above every JSON
    /// type (a wildcard counts for JSON, the default). <paramref name="format"/> follows GS1-CBV-XML-Format: web URIs
    /// for Always_Web_URI, else URNs (CBV values are stored as terms, so Never_Translates cannot give the captured form).
    /// </summary>
    public static bool WantsXml(HttpRequest request, out Traceability.Domain.Epcis.CbvXmlFormat format)
    {
        format = request.Headers["GS1-CBV-XML-Format"].ToString() == "Always_Web_URI"
            ? Traceability.Domain.Epcis.CbvXmlFormat.WebUri
            : Traceability.Domain.Epcis.CbvXmlFormat.Urn;
        return Quality(request, json: false) > Quality(request, json: true);
    }

    /// <summary>The best Accept quality given to JSON (with wildcards) or to XML; no or an unparseable Accept is JSON at 1.</summary>
    private static double Quality(HttpRequest request, bool json)
    {
        if (request.Headers.Accept.Count == 0 || !MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
            return json ? 1 : 0;
        var best = 0.0;
        foreach (var a in accepted)
        {
            var type = a.MediaType.Value ?? "";
            var matches = json
                ? type is "*/*" or "application/*" || Produces.Contains(type, StringComparer.OrdinalIgnoreCase)
                  || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
                : ProducesXml.Contains(type, StringComparer.OrdinalIgnoreCase);
            if (matches) best = Math.Max(best, a.Quality ?? 1);
        }
        return best;
    }
}

/// <summary>Puts <see cref="EpcisProtocol"/> first in the pipeline (before authentication and the endpoints).</summary>
internal sealed class EpcisProtocolStartup : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((http, nextStep) => EpcisProtocol.InvokeAsync(http, () => nextStep(http)));
        // WebSocket subscriptions (GET /epcis/queries/{name}/events with Upgrade: websocket).
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        next(app);
    };
}
