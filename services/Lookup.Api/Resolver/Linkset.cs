namespace Traceability.Lookup.Api.Resolver;

/// <summary>
/// The RFC 9264 linkset of a code, in the shape of the GS1 linkset schema: link relations are
/// full GS1 Web Vocabulary URIs (the schema allows no `gs1:` CURIEs as keys), each link has href and title.
/// </summary>
internal static class Linkset
{
    public const string Vocabulary = "https://ref.gs1.org/voc/";
    public const string MediaType = "application/linkset+json";
    /// <summary>GS1's JSON-LD context for linksets (same file for resolver standard 1.0–1.2).</summary>
    public const string Context = "https://ref.gs1.org/standards/resolver/linkset-context";

    public sealed record Link(string Href, string Title, string? Type = null, IReadOnlyList<string>? Hreflang = null);

    /// <summary>Link type (short name, e.g. `pip`) → links, in a stable order; the first `pip` is the default.</summary>
    public static IReadOnlyList<(string LinkType, IReadOnlyList<Link> Links)> For(ProvenanceView view)
    {
        var anchor = view.DigitalLink;
        var name = view.Product.Name;
        List<(string, IReadOnlyList<Link>)> links =
        [
            // The standard: the default link carries no optional attributes (no type, no hreflang).
            ("defaultLink", [new Link(anchor, name.Vi)]),
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

    /// <summary>
    /// The JSON document: `{"linkset":[{anchor, itemDescription, "https://ref.gs1.org/voc/pip":[…], …}, …]}` —
    /// the requested level first, then (for a lot or serial) the product level: the standard wants the links
    /// of every level up to the primary key.
    /// </summary>
    public static object Document(ProvenanceView view)
    {
        var anchor = view.DigitalLink;
        var contexts = new List<Dictionary<string, object>> { ContextObject(view) };
        var productEnd = anchor.IndexOf("/01/" + view.Product.Gtin, StringComparison.Ordinal) + 4 + view.Product.Gtin.Length;
        // A lot segment cannot hold a literal "/21/" (slashes in values are percent-encoded), so this is the serial.
        var serialAt = anchor.LastIndexOf("/21/", StringComparison.Ordinal);
        if (view.Lot is not null && serialAt > productEnd)
            contexts.Add(ContextObject(view with { DigitalLink = anchor[..serialAt] }));
        if (productEnd < anchor.Length)
            contexts.Add(ContextObject(view with { DigitalLink = anchor[..productEnd], Lot = null }));
        return new { linkset = contexts };
    }

    private static Dictionary<string, object> ContextObject(ProvenanceView view)
    {
        var context = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["anchor"] = view.DigitalLink,
            ["itemDescription"] = view.Lot is null ? view.Product.Name.Vi : $"{view.Product.Name.Vi} — lô {view.Lot.Lot}",
        };
        foreach (var (type, links) in For(view))
            context[Vocabulary + type] = links.Select(Target).ToArray();
        return context;
    }

    /// <summary>A link target object with only the attributes the link has.</summary>
    private static Dictionary<string, object> Target(Link link)
    {
        var target = new Dictionary<string, object>(StringComparer.Ordinal) { ["href"] = link.Href, ["title"] = link.Title };
        if (link.Type is not null) target["type"] = link.Type;
        if (link.Hreflang is not null) target["hreflang"] = link.Hreflang;
        return target;
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
