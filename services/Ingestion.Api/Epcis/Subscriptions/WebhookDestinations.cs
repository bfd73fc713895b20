using System.Net;
using System.Net.Sockets;

namespace Traceability.Ingestion.Api.Epcis.Subscriptions;

/// <summary>
/// Where webhooks may go. Without this a producer could subscribe <c>http://10.0.0.5/admin</c> or
/// <c>http://169.254.169.254/</c> and make the service call hosts only it can reach (server-side
/// request forgery). A destination must be https (http only for an allowed host), name no user
/// information, and every address it connects to must be public unless its host is in
/// <see cref="SubscriptionOptions.AllowedPrivateHosts"/>. The address is checked when the
/// connection is made (<see cref="ConnectAsync"/>), not only when subscribing, so a name that
/// later resolves to a private address (DNS rebinding) is refused too.
/// </summary>
public sealed class WebhookDestinations(IOptions<SubscriptionOptions> options)
{
    /// <summary>Null when the destination may be subscribed; otherwise why not.</summary>
    public string? Refusal(string? destination)
    {
        if (!Uri.TryCreate(destination, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            return "Give an absolute https URL that accepts POST.";
        if (uri.UserInfo.Length > 0) return "The URL must not carry a user name or password: sign with signatureToken instead.";
        var allowed = IsAllowedHost(uri);
        if (uri.Scheme == "http" && !allowed) return "Use https: events must not travel in clear text.";
        if (!allowed && (uri.IsLoopback || (IPAddress.TryParse(uri.IdnHost, out var ip) && !IsPublic(ip))))
            return $"{uri.Host} is not a public address; webhooks go only to public hosts unless the operator allows it (Subscriptions:AllowedPrivateHosts).";
        return null;
    }

    /// <summary>SocketsHttpHandler.ConnectCallback: connects only to addresses the destination may use.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var endpoint = context.DnsEndPoint;
        var allowed = IsAllowedHost(endpoint.Host, endpoint.Port);
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endpoint.Host, ct);
        var usable = addresses.Where(a => allowed || IsPublic(a)).ToArray();
        if (usable.Length == 0)
            throw new HttpRequestException($"{endpoint.Host} resolves to no public address (Subscriptions:AllowedPrivateHosts).");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(usable, endpoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private bool IsAllowedHost(Uri uri) => IsAllowedHost(uri.IdnHost, uri.Port);

    private bool IsAllowedHost(string host, int port) => options.Value.AllowedPrivateHosts.Any(entry =>
        string.Equals(entry, host, StringComparison.OrdinalIgnoreCase) || string.Equals(entry, $"{host}:{port}", StringComparison.OrdinalIgnoreCase));

    /// <summary>False for loopback, private (RFC 1918, fc00::/7), carrier-grade NAT, link-local, multicast and unspecified addresses.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return false;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal);
        var b = address.GetAddressBytes();
        return !(b[0] is 0 or 10 or 127 || b[0] >= 224
            || (b[0] == 100 && b[1] is >= 64 and < 128)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 172 && b[1] is >= 16 and < 32)
            || (b[0] == 192 && b[1] == 168));
    }
}
