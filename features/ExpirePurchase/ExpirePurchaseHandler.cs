using BaseAgency.Billing;
using BaseAgency.Organizations;
using Marten;
using Wolverine;

namespace BaseAgency.Features.ExpirePurchase;

/// <summary>
/// At a purchase's expiry: still unpaid, it settles as expired. A payment that arrives later still buys
/// what it paid for (<see cref="Purchase.After"/>).
/// </summary>
public static class ExpirePurchaseHandler
{
    public static async Task Handle(Billing.ExpirePurchase message, IQuerySession session, IMessageContext bus, TimeProvider clock,
        CancellationToken ct)
    {
        if (await session.LoadAsync<Purchase>(message.PurchaseId, ct) is not { Status: PurchaseStatus.Pending } purchase) return;
        var tenant = new DeliveryOptions { TenantId = Tenancy.TenantOf(message.OrganizationId) };
        if (purchase.ExpiresAt > clock.GetUtcNow())
        {
            await bus.ScheduleAsync(message, purchase.ExpiresAt, tenant); // woke early
            return;
        }
        await bus.SendAsync(new Billing.SettlePurchase(message.OrganizationId, message.PurchaseId, PaymentOutcome.Expired, "expiry"), tenant);
    }
}
