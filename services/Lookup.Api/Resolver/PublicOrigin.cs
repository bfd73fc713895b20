using System.Net;
using System.Net.NetworkInformation;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Traceability.Lookup.Api.Resolver;

/// <summary>
/// The base URL of every public link the service hands out (digitalLink, linksets, redirects, the
/// warnings feed, QR codes, labels, image URLs). Lookup answers are cached publicly without
/// <c>Vary: Host</c>, so a link taken from an arbitrary <c>Host</c> header would let anyone plant
/// their own domain in a cached page. Hence: <c>Lookup:PublicBaseUrl</c> when set; otherwise the
/// request's host only if it is allowed — <c>Lookup:PublicHosts</c>, or by default the addresses
/// this host listens on (a wildcard address allows the machine's own interface addresses); any
/// other <c>Host</c> gets links on the first allowed address.
/// </summary>
public sealed class PublicOrigin(IOptions<LookupOptions> options, IServer server)
{
    /// <summary>Allowed "host:port" (or bare host names when any port is allowed), and where other hosts' links go.</summary>
    private sealed record Hosts(HashSet<string> Allowed, bool AnyPort, string? FallbackScheme, string FallbackAuthority);

    private Hosts? _hosts;

    public string Of(HttpContext http)
    {
        var configured = options.Value.PublicBaseUrl;
        if (!string.IsNullOrEmpty(configured)) return configured.TrimEnd('/');
        var hosts = _hosts ??= Read();
        var request = http.Request;
        if (request.Host.HasValue)
        {
            var name = request.Host.Host.Trim('[', ']').ToLowerInvariant();
            var port = request.Host.Port ?? (request.IsHttps ? 443 : 80);
            if (hosts.Allowed.Contains(hosts.AnyPort ? name : $"{name}:{port}"))
                return $"{request.Scheme}://{request.Host.Value}{request.PathBase}";
        }
        return $"{hosts.FallbackScheme ?? request.Scheme}://{hosts.FallbackAuthority}{request.PathBase}";
    }

    private Hosts Read()
    {
        var configured = options.Value.PublicHosts.Select(h => h.Trim().ToLowerInvariant()).Where(h => h.Length > 0).ToList();
        if (configured.Count > 0) return new Hosts([.. configured], true, null, configured[0]);

        var allowed = new HashSet<string>();
        Hosts? first = null;
        foreach (var address in server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            var binding = BindingAddress.Parse(address);
            var host = binding.Host.Trim('[', ']').ToLowerInvariant();
            List<string> names = host is "0.0.0.0" or "::" or "*" or "+" ? [.. MachineAddresses(), "localhost"]
                // Loopback is reachable from this machine only: any of its names is safe.
                : host == "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip))
                    ? [.. new[] { host, "localhost", "127.0.0.1", "::1" }.Distinct()]
                : [host];
            foreach (var name in names) allowed.Add($"{name}:{binding.Port}");
            var authority = names[0].Contains(':') ? $"[{names[0]}]:{binding.Port}" : $"{names[0]}:{binding.Port}";
            first ??= new Hosts(allowed, false, binding.Scheme, authority);
        }
        // No listen address known (an in-memory test server): only localhost.
        return first ?? new Hosts(["localhost:80"], false, "http", "localhost");
    }

    /// <summary>The machine's own addresses, public IPv4 first (the likeliest way clients reach it).</summary>
    private static IEnumerable<string> MachineAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => !a.IsIPv6LinkLocal)
            .OrderBy(a => IPAddress.IsLoopback(a))
            .ThenBy(a => a.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            .Select(a => a.ToString().ToLowerInvariant());
}
