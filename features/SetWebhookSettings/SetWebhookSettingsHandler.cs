using BaseAgency.Http;
using BaseAgency.Webhooks;
using Marten;

namespace BaseAgency.Features.SetWebhookSettings;

public static class SetWebhookSettingsHandler
{
    /// <summary>A new threshold re-arms <c>credits.low</c>: the next spend below it is announced.</summary>
    public static Outcome<WebhookSettingsView> Handle(SetWebhookSettings command, IDocumentSession session)
    {
        session.Store(new NotificationSettings(command.OrganizationId, command.LowCreditsThreshold));
        return new WebhookSettingsView(command.LowCreditsThreshold);
    }
}
