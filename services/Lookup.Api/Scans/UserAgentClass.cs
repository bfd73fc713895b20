namespace Traceability.Lookup.Api.Scans;

/// <summary>A coarse class of the client, kept instead of the user-agent string (which can identify people).</summary>
public static class UserAgentClass
{
    public static string Of(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return "unknown";
        var ua = userAgent.AsSpan();
        if (Has(ua, "bot") || Has(ua, "crawler") || Has(ua, "spider") || Has(ua, "curl") || Has(ua, "wget")
            || Has(ua, "python") || Has(ua, "headless"))
            return "bot";
        if (Has(ua, "zalo") || Has(ua, "fban") || Has(ua, "fbav") || Has(ua, "micromessenger")) return "app";
        if (Has(ua, "mobile") || Has(ua, "android") || Has(ua, "iphone") || Has(ua, "ipad")) return "mobile";
        if (Has(ua, "mozilla")) return "desktop";
        return "other";
    }

    private static bool Has(ReadOnlySpan<char> ua, string word) => ua.Contains(word, StringComparison.OrdinalIgnoreCase);
}
