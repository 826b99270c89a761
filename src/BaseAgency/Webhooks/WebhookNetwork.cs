namespace BaseAgency.Webhooks;

/// <summary>
/// The shape a webhook URL must have. Where it may connect is <see cref="Http.OutboundNetwork"/>'s rule, checked at connect time.
/// </summary>
public static class WebhookNetwork
{
    public const int MaxUrlLength = 2048;

    /// <summary>Null when the URL has a shape an endpoint may have; otherwise why not, for a 422.</summary>
    public static string? UrlProblem(string url, bool requireHttps)
    {
        if (url.Length > MaxUrlLength) return $"The URL is longer than {MaxUrlLength} characters.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "The URL is not absolute.";
        if (uri.Scheme != Uri.UriSchemeHttps && (requireHttps || uri.Scheme != Uri.UriSchemeHttp))
            return requireHttps ? "The URL must be https." : "The URL must be http or https.";
        if (uri.UserInfo.Length > 0) return "The URL must not carry a user name or password.";
        if (uri.Host.Length == 0) return "The URL has no host.";
        return null;
    }
}
