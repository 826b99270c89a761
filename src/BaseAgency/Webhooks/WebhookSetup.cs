using BaseAgency.Http;
using Marten;
using Microsoft.Extensions.Options;

namespace BaseAgency.Webhooks;

public static class WebhookSetup
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<WebhookOptions>().Bind(config.GetSection(WebhookOptions.Section));
        services.AddSingleton<WebhookSender>();
        // The sender times the whole exchange itself (Webhooks:Timeout).
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
                OutboundNetwork.Handler(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateNetworks, "webhooks"));
        return services;
    }

    public static void ConfigureWebhooks(this StoreOptions opts)
    {
        opts.Schema.For<WebhookEndpoint>();
        // Read per endpoint, newest first.
        opts.Schema.For<WebhookDelivery>().Index(x => x.EndpointId);
        opts.Schema.For<NotificationSettings>();
    }
}
