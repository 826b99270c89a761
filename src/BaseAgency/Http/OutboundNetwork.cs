using System.Net;
using System.Net.Sockets;

namespace BaseAgency.Http;

/// <summary>
/// Where the service may connect when someone else chose the URL (a customer's webhook, a provider's output link). Without
/// these checks such a URL could make the service call its own network (the database, the cloud's metadata endpoint).
/// Addresses are checked after DNS resolution, at connect time, on the address actually connected to: a name that resolves
/// elsewhere a second later (DNS rebinding) gains nothing, and redirects are never followed.
/// </summary>
public static class OutboundNetwork
{
    /// <summary>True when the address is on the public internet: not loopback, private, link-local, CGNAT, multicast or unspecified.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) return IsPublic(address.MapToIPv4());
        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return !(b[0] == 0                                   // 0.0.0.0/8 "this network", incl. unspecified
                || b[0] == 10                                    // 10/8
                || b[0] == 127                                   // loopback
                || (b[0] == 100 && (b[1] & 0xC0) == 64)          // CGNAT 100.64/10
                || (b[0] == 169 && b[1] == 254)                  // link-local, incl. 169.254.169.254 metadata
                || (b[0] == 172 && (b[1] & 0xF0) == 16)          // 172.16/12
                || (b[0] == 192 && b[1] == 168)                  // 192.168/16
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)       // IETF protocol assignments
                || (b[0] == 198 && (b[1] & 0xFE) == 18)          // benchmarking 198.18/15
                || b[0] >= 224);                                 // multicast 224/4, reserved 240/4, broadcast
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return false;
        if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback)) return false;
        if ((b[0] & 0xFE) == 0xFC) return false;                 // unique local fc00::/7
        if (b[0] == 0xFE && (b[1] & 0xC0) is 0x80 or 0xC0) return false; // link-local fe80::/10, site-local fec0::/10
        if (b[0] == 0xFF) return false;                          // multicast
        // IPv4 embedded by NAT64 (64:ff9b::/96) or the deprecated compatible form (::a.b.c.d): judged as that IPv4 address.
        if ((b[0] == 0 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4..12].All(x => x == 0)) || b[..12].All(x => x == 0))
            return IsPublic(new IPAddress(b[12..]));
        return true;
    }

    /// <summary>
    /// The primary handler of a client for such URLs: connects only through <see cref="ConnectAsync"/>, follows no redirect,
    /// keeps no cookies and ignores proxies (a proxy would connect for us, unchecked).
    /// </summary>
    public static SocketsHttpHandler Handler(bool allowPrivateNetworks, string purpose) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        ConnectCallback = (context, ct) => ConnectAsync(context, allowPrivateNetworks, purpose, ct),
    };

    /// <summary>
    /// Opens a connection: resolves the name itself and connects only to addresses it may reach (any, when private networks
    /// are allowed). <paramref name="purpose"/> names the caller in the refusal ("webhooks").
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivateNetworks, string purpose,
        CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var reachable = allowPrivateNetworks ? addresses : addresses.Where(IsPublic).ToArray();
        if (reachable.Length == 0) throw new OutboundAddressRefusedException(host, purpose);

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(reachable, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

public sealed class OutboundAddressRefusedException(string host, string purpose)
    : Exception($"'{host}' resolves only to addresses {purpose} may not reach (loopback, private, link-local, CGNAT, multicast or unspecified).");
