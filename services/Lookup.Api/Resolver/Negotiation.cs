using Microsoft.Net.Http.Headers;

namespace Traceability.Lookup.Api.Resolver;

internal enum Representation { Html, Json, Linkset }

internal static class Negotiation
{
    /// <summary>`?format=` first, then the Accept header by quality (ties: the client's order); browsers get HTML.</summary>
    public static Representation Choose(HttpRequest request)
    {
        var format = request.Query["format"].ToString();
        if (format.Equals("json", StringComparison.OrdinalIgnoreCase)) return Representation.Json;
        if (format.Equals("html", StringComparison.OrdinalIgnoreCase)) return Representation.Html;
        if (format.Equals("linkset", StringComparison.OrdinalIgnoreCase)) return Representation.Linkset;

        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accept) || accept.Count == 0)
            return Representation.Html;
        foreach (var m in accept.Where(m => (m.Quality ?? 1) > 0).OrderByDescending(m => m.Quality ?? 1))
        {
            switch (m.MediaType.Value?.ToLowerInvariant())
            {
                case Linkset.MediaType: return Representation.Linkset;
                case "application/json" or "application/ld+json" or "application/*" or "application/problem+json": return Representation.Json;
                case "text/html" or "application/xhtml+xml" or "text/*" or "*/*": return Representation.Html;
            }
        }
        return Representation.Html;
    }

    /// <summary>`?lang=` (vi|en), else the first of vi/en in Accept-Language; Vietnamese by default.</summary>
    public static string Language(HttpRequest request)
    {
        var lang = request.Query["lang"].ToString();
        if (lang.StartsWith("en", StringComparison.OrdinalIgnoreCase)) return "en";
        if (lang.StartsWith("vi", StringComparison.OrdinalIgnoreCase)) return "vi";
        if (StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptLanguage, out var languages))
        {
            foreach (var l in languages.Where(l => (l.Quality ?? 1) > 0).OrderByDescending(l => l.Quality ?? 1))
            {
                var v = l.Value.Value ?? "";
                if (v.StartsWith("vi", StringComparison.OrdinalIgnoreCase)) return "vi";
                if (v.StartsWith("en", StringComparison.OrdinalIgnoreCase)) return "en";
            }
        }
        return "vi";
    }
}
