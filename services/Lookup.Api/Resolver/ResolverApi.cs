using Microsoft.AspNetCore.Http.Features;

namespace Traceability.Lookup.Api.Resolver;

/// <summary>The GS1 Digital Link resolver for our own codes: `/01/{gtin}[/10/{lot}][/21/{serial}]`.</summary>
internal static class ResolverApi
{
    private const string Methods = "GET, HEAD, OPTIONS";

    public static IEndpointRouteBuilder MapResolver(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/01/{**rest}", ["GET", "HEAD", "OPTIONS"], ResolveAsync)
            .WithName("ResolveDigitalLink")
            .WithSummary("Resolves a GS1 Digital Link: provenance page, JSON or linkset")
            .AllowAnonymous();
        // Digital Link convenience alpha for the primary key: answered with a 301 to /01/….
        routes.MapMethods("/gtin/{**rest}", ["GET", "HEAD", "OPTIONS"], ResolveAsync)
            .WithName("ResolveDigitalLinkAlias")
            .AllowAnonymous();
        routes.MapMethods("/.well-known/gs1resolver", ["GET", "HEAD", "OPTIONS"], DescriptionAsync)
            .WithName("Gs1ResolverDescription")
            .AllowAnonymous();
        return routes;
    }

    private static async Task ResolveAsync(HttpContext http, ProvenanceCache cache, ScanLog scans, CodeAssessor assessor,
        ClientPseudonym pseudonym, PublicOrigin origin, IOptions<LookupOptions> options, LookupTelemetry telemetry, TimeProvider time)
    {
        if (HttpMethods.IsOptions(http.Request.Method))
        {
            Responses.Preflight(http, Methods);
            return;
        }
        Responses.Cors(http.Response, Methods);
        http.Response.Headers.Vary = "Accept, Accept-Language";
        http.Response.Headers.XContentTypeOptions = "nosniff";

        var (rawPath, rawQuery) = RawTarget(http);
        var representation = Negotiation.Choose(http.Request);
        var lang = Negotiation.Language(http.Request);
        if (!DigitalLink.TryParse(rawPath + rawQuery, out var link, out var error))
        {
            telemetry.Lookups.Add(1, LookupTelemetry.Tag("outcome", "malformed"));
            if (representation == Representation.Html)
            {
                SetPageHeaders(http, lang, 0);
                await Responses.HtmlAsync(http, StatusCodes.Status400BadRequest,
                    ProvenancePage.RenderMalformed(Uri.UnescapeDataString(rawPath), lang == "en" ? error! : CodeMessages.Vietnamese(error!), lang), conditional: false);
                return;
            }
            await Responses.ProblemAsync(http, StatusCodes.Status400BadRequest, "Malformed GS1 Digital Link", error!, "code");
            return;
        }

        // GTIN-8/12/13, the `gtin`/`lot`/`ser` aliases, stray slashes: one canonical URI per item (GS1 Digital Link).
        var canonicalPath = http.Request.PathBase + link.Path;
        if (!string.Equals(Uri.UnescapeDataString(rawPath), Uri.UnescapeDataString(canonicalPath), StringComparison.Ordinal))
        {
            telemetry.Lookups.Add(1, LookupTelemetry.Tag("outcome", "redirect"));
            http.Response.Headers.Location = canonicalPath + rawQuery;
            http.Response.StatusCode = StatusCodes.Status301MovedPermanently;
            return;
        }

        var cached = await cache.GetEntryAsync(link.Gtin.Value, link.Lot, http.RequestAborted);
        var baseUrl = origin.Of(http);
        var province = Province(http.Request.Query["province"].ToString());
        if (cached.View is null)
        {
            // An unregistered code is counted as such in the periodic report (never in a lot's history).
            if (HttpMethods.IsGet(http.Request.Method))
                scans.Record(new ScanRecord(time.GetUtcNow(), link.Lot is null ? ScanRecord.ProductKey(link.Gtin.Value) : LotKey.Of(link.Gtin.Value, link.Lot),
                    link.Serial, province, UserAgentClass.Of(http.Request.Headers.UserAgent), Unknown: true));
            await NotRegisteredAsync(http, link, baseUrl, representation, lang, telemetry);
            return;
        }

        // The same judgement verify gives: an unknown serial on a known lot is not registered, and
        // a serial's page shows its signature and clone signals. A province in the query is only
        // claimed (anonymous), so it never makes the verdict suspicious.
        var current = link.Lot is not null && HttpMethods.IsGet(http.Request.Method)
            ? new ScanRecord(time.GetUtcNow(), LotKey.Of(link.Gtin.Value, link.Lot), link.Serial, province,
                UserAgentClass.Of(http.Request.Headers.UserAgent), await pseudonym.OfAsync(http, http.RequestAborted))
            : null;
        if (!ScannedCode.TryParse(baseUrl + rawPath + ScannedQuery(rawQuery), out var scanned, out _))
            scanned = new ScannedCode(baseUrl + link.Path, link.Gtin, link.Lot, link.Serial, null, IsDigitalLink: true);
        var judgement = (await assessor.AssessAsync(scanned, current, withHistory: false, http.RequestAborted)).Judgement;
        if (judgement.IsUnknown)
        {
            if (current is not null) scans.Record(current with { Unknown = true });
            await NotRegisteredAsync(http, link, baseUrl, representation, lang, telemetry);
            return;
        }
        var view = cached.View with { Verdict = judgement.Verdict, Assurance = judgement.Assurance };
        var variant = $"{judgement.Verdict} {judgement.Assurance} {baseUrl}{link.Path}";

        http.Response.Headers.Link = $"<{baseUrl + link.Path}?linkType=linkset>; rel=\"linkset\"; type=\"{Linkset.MediaType}\"";

        var linkType = http.Request.Query["linkType"].ToString();
        if (linkType.Length > 0)
        {
            var type = Linkset.Normalize(linkType);
            if (type is "linkset" or "all")
            {
                representation = Representation.Linkset;
            }
            else
            {
                // GS1 resolver: redirect to the requested link type (the best language match), 404 when there is none.
                var links = Linkset.For(Absolute(view, baseUrl, link));
                var target = links.FirstOrDefault(l => string.Equals(l.LinkType, type, StringComparison.OrdinalIgnoreCase)).Links;
                if (target is null)
                {
                    telemetry.Lookups.Add(1, LookupTelemetry.Tag("outcome", "linktype-unavailable"));
                    await Responses.ProblemAsync(http, StatusCodes.Status404NotFound, "Link type not available",
                        $"{baseUrl + link.Path} has no {linkType} link; available: {string.Join(", ", links.Select(l => "gs1:" + l.LinkType))}.", "linkType");
                    return;
                }
                var chosen = target.FirstOrDefault(l => l.Hreflang?.Contains(lang) == true) ?? target[0];
                telemetry.Lookups.Add(1, LookupTelemetry.Tag("outcome", "linktype"));
                http.Response.Headers.Location = PassOnQuery(chosen.Href, rawQuery);
                http.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
                return;
            }
        }

        // Rendered once per variant and kept with the cached projection (see CachedProvenance).
        var maxAge = options.Value.ClientCacheSeconds;
        switch (representation)
        {
            case Representation.Linkset:
                http.Response.Headers.Link = $"{http.Response.Headers.Link}, <{Linkset.Context}>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\"";
                http.Response.Headers.CacheControl = $"public, max-age={maxAge}";
                await Responses.WriteAsync(http, StatusCodes.Status200OK, Linkset.MediaType, cached.Rendered("linkset " + variant,
                    _ => Responses.JsonBytes(Linkset.Document(Absolute(view, baseUrl, link)))));
                break;
            case Representation.Json:
                http.Response.Headers.CacheControl = $"public, max-age={maxAge}";
                await Responses.WriteAsync(http, StatusCodes.Status200OK, Responses.JsonContentType, cached.Rendered("json " + variant,
                    _ => Responses.JsonBytes(Absolute(view, baseUrl, link))));
                break;
            default:
                SetPageHeaders(http, lang, maxAge);
                await Responses.WriteAsync(http, StatusCodes.Status200OK, Responses.HtmlContentType, cached.Rendered($"html {lang} {variant}",
                    _ => ProvenancePage.RenderBytes(Absolute(view, baseUrl, link), lang)));
                break;
        }
        telemetry.Lookups.Add(1, LookupTelemetry.Tag("outcome", view.Status), LookupTelemetry.Tag("representation", representation.ToString()));

        if (current is not null) scans.Record(current);
    }

    private static async Task NotRegisteredAsync(HttpContext http, DigitalLink link, string baseUrl,
        Representation representation, string lang, LookupTelemetry telemetry)
    {
        telemetry.Lookups.Add(1, LookupTelemetry.Tag("outcome", "unknown"));
        var code = baseUrl + link.Path;
        if (representation == Representation.Html)
        {
            SetPageHeaders(http, lang, 0);
            await Responses.HtmlAsync(http, StatusCodes.Status404NotFound, ProvenancePage.RenderNotRegistered(code, lang), conditional: false);
            return;
        }
        await Responses.ProblemAsync(http, StatusCodes.Status404NotFound, "Code not registered",
            $"{code} is not registered in the traceability system; the product may be counterfeit. Report it at /api/v1/reports.");
    }

    /// <summary>
    /// The query as part of the scanned code: GS1 attributes (e.g. `17`) and the signature, without
    /// what is meant for the resolver (`lang`, `format`, `linkType`, `province`), so adding those to a
    /// signed link neither breaks nor forges its signature check.
    /// </summary>
    private static string ScannedQuery(string rawQuery)
    {
        if (rawQuery.Length <= 1) return "";
        var kept = rawQuery[1..].Split('&').Where(pair => Uri.UnescapeDataString(pair.Split('=', 2)[0]).ToLowerInvariant()
            is not ("lang" or "format" or "linktype" or "province" or "context")).ToList();
        return kept.Count == 0 ? "" : "?" + string.Join('&', kept);
    }

    private static Task DescriptionAsync(HttpContext http, PublicOrigin origin)
    {
        if (HttpMethods.IsOptions(http.Request.Method))
        {
            Responses.Preflight(http, Methods);
            return Task.CompletedTask;
        }
        Responses.Cors(http.Response, Methods);
        http.Response.Headers.CacheControl = "public, max-age=86400";
        var description = new
        {
            name = "Traceability — truy xuất nguồn gốc sản phẩm, hàng hóa",
            resolverRoot = origin.Of(http),
            supportedPrimaryKeys = new[] { "01" },
            supportedLinkType = new[] { new { @namespace = Linkset.Vocabulary, prefix = "gs1:" } },
            linkTypeDefaultCanBeLinkset = false,
            supportedContextValuesEnumerated = Array.Empty<string>(),
            jsonLdContextLocation = Linkset.Context,
        };
        return Responses.JsonAsync(http, StatusCodes.Status200OK, description);
    }

    /// <summary>
    /// GS1 resolver: the request's query pairs go on to the redirect target, except `linkType` (meant for the
    /// resolver) and keys the target already sets; inserted before a fragment.
    /// </summary>
    internal static string PassOnQuery(string href, string rawQuery)
    {
        var hash = href.IndexOf('#');
        var (target, fragment) = hash < 0 ? (href, "") : (href[..hash], href[hash..]);
        var q = target.IndexOf('?');
        var present = (q < 0 ? [] : target[(q + 1)..].Split('&')).Select(Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var passed = rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(pair => Key(pair) is var key && !key.Equals("linkType", StringComparison.OrdinalIgnoreCase) && !present.Contains(key))
            .ToList();
        if (passed.Count == 0) return href;
        return target + (q < 0 ? "?" : "&") + string.Join('&', passed) + fragment;

        static string Key(string pair) => Uri.UnescapeDataString(pair.Split('=', 2)[0]);
    }

    /// <summary>
    /// The request target as sent: Kestrel decodes Request.Path (all but %2F), which would let `%25`
    /// turn into a second escape; the Digital Link parser decodes each segment itself.
    /// </summary>
    internal static (string Path, string Query) RawTarget(HttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/')
            return (http.Request.PathBase + http.Request.Path.ToUriComponent(), http.Request.QueryString.Value ?? "");
        var q = raw.IndexOf('?');
        return q < 0 ? (raw, "") : (raw[..q], raw[q..]);
    }

    private static ProvenanceView Absolute(ProvenanceView view, string baseUrl, DigitalLink link) => view with
    {
        DigitalLink = baseUrl + link.Path,
        Product = view.Product.ImageUrl is { } img && img.StartsWith('/') ? view.Product with { ImageUrl = baseUrl + img } : view.Product,
        Upstream = view.Upstream.Select(u => u.DigitalLink is null ? u : u with { DigitalLink = baseUrl + u.DigitalLink }).ToList(),
        Downstream = view.Downstream.Select(u => u.DigitalLink is null ? u : u with { DigitalLink = baseUrl + u.DigitalLink }).ToList(),
    };

    private static void SetPageHeaders(HttpContext http, string lang, int maxAge)
    {
        var h = http.Response.Headers;
        h.CacheControl = maxAge > 0 ? $"public, max-age={maxAge}" : "no-cache";
        h.ContentLanguage = lang;
        h.ContentSecurityPolicy = ProvenancePage.ContentSecurityPolicy;
        h["Referrer-Policy"] = "no-referrer";
    }

    /// <summary>A client-supplied province is kept only if it looks like a place name (coarse, no free text).</summary>
    private static string? Province(string value) =>
        value.Length is > 0 and <= 40 && value.All(c => char.IsLetter(c) || c is ' ' or '-' or '.') ? value.Trim() : null;
}
