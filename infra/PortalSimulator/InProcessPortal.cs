using System.Security.Cryptography;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Traceability.PortalSimulator;

/// <summary>
/// DESIGN §4.1: when <c>Portal:BaseUrl</c> is unset, the standalone host runs the simulator itself
/// under <c>/_portal</c> and the sync worker talks to it over this host's own address, so the whole
/// flow works out of the box.
/// </summary>
public static class InProcessPortal
{
    public const string Prefix = "/_portal";

    private sealed class Marker;

    /// <summary>
    /// If <c>Portal:BaseUrl</c> is unset: registers the simulator and points the portal client
    /// (<c>Portal:BaseUrl</c>, <c>Portal:ClientId</c>, <c>Portal:ClientSecret</c>) at
    /// <c>{first of urls}/_portal</c> with generated credentials. Call before AddSyncWorker; then
    /// <see cref="MapInProcessPortal"/>. Returns whether the in-process portal is used.
    /// </summary>
    public static bool AddInProcessPortalWhenUnset(this IHostApplicationBuilder builder)
    {
        var config = builder.Configuration;
        if (!string.IsNullOrWhiteSpace(config["Portal:BaseUrl"]))
            return false;
        var clientId = string.IsNullOrEmpty(config["Portal:ClientId"]) ? "standalone" : config["Portal:ClientId"]!;
        var secret = string.IsNullOrEmpty(config["Portal:ClientSecret"])
            ? Convert.ToHexString(RandomNumberGenerator.GetBytes(16))
            : config["Portal:ClientSecret"]!;
        config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Portal:BaseUrl"] = SelfAddress(config["urls"]) + Prefix,
            ["Portal:ClientId"] = clientId,
            ["Portal:ClientSecret"] = secret,
            ["PortalSimulator:ClientId"] = clientId,
            ["PortalSimulator:ClientSecret"] = secret,
        });
        builder.Services.AddPortalSimulator(config);
        builder.Services.AddSingleton<Marker>();
        return true;
    }

    /// <summary>
    /// Maps the simulator under /_portal when <see cref="AddInProcessPortalWhenUnset"/> chose it; its
    /// control endpoints (/_portal/_sim/…) behind <paramref name="controlPolicy"/> when given.
    /// </summary>
    public static IEndpointRouteBuilder MapInProcessPortal(this IEndpointRouteBuilder routes, string? controlPolicy = null)
    {
        if (routes.ServiceProvider.GetService<Marker>() is not null)
            routes.MapPortalSimulator(Prefix, controlPolicy);
        return routes;
    }

    /// <summary>The first listening URL (`--urls`, ASPNETCORE_URLS) as a client can call it.</summary>
    internal static string SelfAddress(string? urls)
    {
        var first = (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? "http://localhost:5000"; // Kestrel's default when nothing is configured
        // Wildcard hosts listen everywhere; loopback reaches them.
        var rest = first["http://".Length..];
        var hostEnd = rest.StartsWith('[') ? rest.IndexOf(']') + 1 : rest.IndexOfAny([':', '/']);
        var host = hostEnd < 0 ? rest : rest[..hostEnd];
        var tail = hostEnd < 0 ? "" : rest[hostEnd..].TrimEnd('/');
        if (host is "*" or "+" or "0.0.0.0" or "[::]")
            host = "127.0.0.1";
        return $"http://{host}{tail}";
    }
}
