using Traceability.Lookup.Api.Provenance;

namespace Traceability.Lookup.Api.Resolver;

/// <summary>
/// The RFC 9264 linkset of a code, in the shape of the GS1 linkset schema: link relations are
/// full GS1 Web Vocabulary URIs (the schema allows no `gs1:` CURIEs as keys), each link has href and title.
/// </summary>
internal static class Linkset
{
    public const string Vocabulary = "https://ref.gs1.org/voc/";
    public const string MediaType = "application/linkset+json";

    public sealed record Link(string Href, string Title, string Type, IReadOnlyList<string>? Hreflang = null);

    /// <summary>Link type (short name, e.g. `pip`) → links, in a stable order; the first `pip` is the default.</summary>
    public static IReadOnlyList<(string LinkType, IReadOnlyList<Link> Links)> For(ProvenanceView view)
    {
        var anchor = view.DigitalLink;
        var name = view.Product.Name;
        List<(string, IReadOnlyList<Link>)> links =
        [
            ("defaultLink", [new Link(anchor, name.Vi, "text/html", ["vi"])]),
            ("pip",
            [
                new Link(anchor, $"{name.Vi} — trang truy xuất nguồn gốc", "text/html", ["vi"]),
                new Link(anchor + "?lang=en", $"{name.For("en")} — provenance page", "text/html", ["en"]),
            ]),
            ("traceability", [new Link(anchor + "?format=json", "Provenance (JSON)", "application/json")]),
        ];
        if (view.Product.Standards.Count > 0)
            links.Add(("certificationInfo", [new Link(anchor + "#standards", string.Join(", ", view.Product.Standards), "text/html", ["vi"])]));
        return links;
    }

    /// <summary>The JSON document: `{"linkset":[{anchor, itemDescription, "https://ref.gs1.org/voc/pip":[…], …}]}`.</summary>
    public static object Document(ProvenanceView view)
    {
        var context = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["anchor"] = view.DigitalLink,
            ["itemDescription"] = view.Lot is null ? view.Product.Name.Vi : $"{view.Product.Name.Vi} — lô {view.Lot.Lot}",
        };
        foreach (var (type, links) in For(view))
        {
            context[Vocabulary + type] = links.Select(l => l.Hreflang is null
                ? (object)new { href = l.Href, title = l.Title, type = l.Type }
                : new { href = l.Href, title = l.Title, type = l.Type, hreflang = l.Hreflang }).ToArray();
        }
        return new { linkset = new[] { context } };
    }

    /// <summary>`gs1:pip`, `https://gs1.org/voc/pip`, `https://ref.gs1.org/voc/pip` → `pip`.</summary>
    public static string Normalize(string linkType)
    {
        var v = linkType.Trim();
        foreach (var prefix in (string[])["gs1:", "https://ref.gs1.org/voc/", "http://ref.gs1.org/voc/", "https://gs1.org/voc/", "http://gs1.org/voc/"])
        {
            if (v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return v[prefix.Length..];
        }
        return v;
    }
}
