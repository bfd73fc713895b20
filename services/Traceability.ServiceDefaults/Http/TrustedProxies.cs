using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Traceability.ServiceDefaults.Http;

/// <summary>
/// X-Forwarded-For/-Proto/-Host are honoured only from the reverse proxies named in
/// <c>Network:TrustedProxies</c> (addresses or CIDR networks, e.g. <c>10.0.0.5</c>, <c>10.0.0.0/24</c>).
/// Unset, they are ignored: the client address the failed-auth and rate limits count is the
/// socket's, and no one can choose the scheme or host of the service's links by a header.
/// </summary>
public static class TrustedProxies
{
    public const string Key = "Network:TrustedProxies";

    public static IHostApplicationBuilder AddTrustedProxies(this IHostApplicationBuilder builder)
    {
        var entries = builder.Configuration.GetSection(Key).Get<string[]>() ?? [];
        var networks = entries.Select(Parse).ToList();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var network in networks) o.KnownIPNetworks.Add(network);
            // One proxy in front is the supported layout; deeper chains must list every hop.
            o.ForwardLimit = Math.Max(1, networks.Count);
        });
        return builder;
    }

    /// <summary>Before anything reads the client address or the request's scheme and host.</summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        if ((app.Configuration.GetSection(Key).Get<string[]>() ?? []).Length > 0) app.UseForwardedHeaders();
        return app;
    }

    private static System.Net.IPNetwork Parse(string entry)
    {
        var text = entry.Trim();
        if (System.Net.IPNetwork.TryParse(text, out var network)) return network;
        if (IPAddress.TryParse(text, out var address)) return new System.Net.IPNetwork(address, address.GetAddressBytes().Length * 8);
        throw new InvalidOperationException($"{Key} entry '{entry}' is neither an IP address nor a CIDR network (e.g. 10.0.0.5 or 10.0.0.0/24).");
    }
}
