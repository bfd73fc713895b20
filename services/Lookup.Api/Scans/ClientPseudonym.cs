using System.Net;
using System.Net.Sockets;

namespace Traceability.Lookup.Api.Scans;

/// <summary>
/// A scanning client's pseudonym: HMAC-SHA256 over the client's network (IPv4 /24, IPv6 /48) and
/// its user-agent, keyed by the day's salt, first 16 hex characters. One client repeating itself
/// counts once toward too_many_scans; phones behind one carrier NAT with different browsers stay
/// apart. The salt is shared by every host through the store and changes each Vietnam day
/// (earlier salts are deleted), so the scan log can never be joined back to an address.
/// </summary>
public sealed class ClientPseudonym(IServiceProvider services, TimeProvider time)
{
    private (DateOnly Day, byte[] Salt)? _salt;

    public async ValueTask<string?> OfAsync(HttpContext http, CancellationToken ct)
    {
        if (http.Connection.RemoteIpAddress is not { } address) return null;
        var salt = await SaltAsync(ct);
        if (salt is null) return null;
        var material = Encoding.UTF8.GetBytes(Network(address) + "|" + http.Request.Headers.UserAgent.ToString());
        return Convert.ToHexStringLower(HMACSHA256.HashData(salt, material).AsSpan(0, 8));
    }

    /// <summary>The network a client is counted by: /24 of IPv4 (and IPv4-mapped IPv6), /48 of IPv6.</summary>
    public static string Network(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork) return $"{bytes[0]}.{bytes[1]}.{bytes[2]}.0/24";
        Array.Clear(bytes, 6, bytes.Length - 6);
        return new IPAddress(bytes) + "/48";
    }

    private async ValueTask<byte[]?> SaltAsync(CancellationToken ct)
    {
        var today = VietnamTime.Today(time.GetUtcNow());
        if (_salt is { } s && s.Day == today) return s.Salt;
        if (services.GetService<IScanStore>() is not { } store) return null;
        var salt = await store.GetDailySaltAsync(today, RandomNumberGenerator.GetBytes(32), ct);
        _salt = (today, salt);
        return salt;
    }
}
