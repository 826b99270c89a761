using BaseAgency.Billing;
using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.ExpirePurchase;

/// <summary>On the app whose clock the tests move.</summary>
[Collection(ClockedAppCollection.Name)]
public sealed class ExpirePurchaseTests(ClockedAppFixture app)
{
    [Fact]
    public async Task An_unpaid_purchase_expires_at_its_time_and_never_grants()
    {
        var customer = await app.Host.SignUpAsync();
        var org = customer.Organization.Id;
        var id = (await app.Host.BuyAsync(customer.Tokens.AccessToken, "credits-100"))["id"]!.GetValue<Guid>();

        await app.Host.InvokeForAsync(org, new BaseAgency.Billing.ExpirePurchase(org, id)); // woke early: still waiting for payment
        (await app.Host.StoredPurchaseAsync(org, id)).Status.ShouldBe(PurchaseStatus.Pending);

        app.Clock.Advance(TimeSpan.FromMinutes(61));
        await app.Host.InvokeForAsync(org, new BaseAgency.Billing.ExpirePurchase(org, id));
        await app.Host.InvokeForAsync(org, new BaseAgency.Billing.ExpirePurchase(org, id));
        var expired = await app.Host.StoredPurchaseAsync(org, id);
        expired.Status.ShouldBe(PurchaseStatus.Expired);
        expired.CheckoutUrl.ShouldNotBeNull();
        (await app.Host.AccountAsync(org)).Available.ShouldBe(50);
    }
}
