using System.Text.Json.Nodes;
using BaseAgency.Events;
using BaseAgency.Identity;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using BaseAgency.Tests.Features.CreateApiKey;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Webhooks;

/// <summary>The catalogue's events are raised where the change happens, carry the API's view and never a secret.</summary>
[Collection(WebhookAppCollection.Name)]
public sealed class WebhookEventSourcesTests(WebhookAppFixture app) : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();
    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Api_key_events_carry_the_key_id_name_prefix_and_scopes_only()
    {
        var admin = await ApiKeyCalls.ProfessionalAdminAsync(app.Host);
        await app.Host.CreateWebhookAsync(admin.Token, _receiver.Url("/keys"), "api_key.created", "api_key.revoked");

        var (keyId, secret) = await app.Host.CreateKeyAsync(admin, new { name = "ci", scopes = new[] { "generate" } });
        await app.Host.Scenario(s =>
        {
            s.Delete.Url($"/api/api-keys/{keyId}");
            s.As(admin.Token);
            s.StatusCodeShouldBe(204);
        });
        await Webhooks.WaitForAsync(() => _receiver.To("/keys").Count == 2);

        var bodies = _receiver.To("/keys").Select(r => JsonNode.Parse(r.Body)!).OrderBy(b => b["type"]!.GetValue<string>()).ToList();
        bodies.Select(b => b["type"]!.GetValue<string>()).ShouldBe(["api_key.created", "api_key.revoked"]);
        foreach (var body in bodies)
        {
            body["data"]!.AsObject().Select(p => p.Key).ShouldBe(["id", "name", "prefix", "scopes"]);
            body["data"]!["id"]!.GetValue<Guid>().ShouldBe(keyId);
            secret.ShouldStartWith(body["data"]!["prefix"]!.GetValue<string>());
        }
        _receiver.To("/keys").ShouldAllBe(r => !r.Body.Contains(secret));
    }

    [Fact]
    public async Task A_member_joining_is_an_event()
    {
        var admin = await app.Host.WebhookAdminAsync();
        var (userId, email, _) = await app.Host.AddMemberAsync(admin.Token, Role.Member);
        var joined = (await app.Host.EventsAsync(admin.OrganizationId, EventTypes.MemberJoined)).Single();
        joined.Data.GetProperty("id").GetGuid().ShouldBe(userId);
        joined.Data.GetProperty("email").GetString().ShouldBe(email);
        joined.Data.GetProperty("role").GetString().ShouldBe("member");
    }

    [Fact]
    public async Task A_paid_purchase_is_an_event()
    {
        var customer = await app.Host.SignUpAsync();
        var operatorToken = (await app.Host.OperatorAsync()).Tokens.AccessToken;
        var purchaseId = (await app.Host.BuyAsync(customer.Tokens.AccessToken, "credits-100"))["id"]!.GetValue<Guid>();
        (await app.Host.EventsAsync(customer.Organization.Id, EventTypes.CreditsPurchased)).ShouldBeEmpty(); // not paid yet

        await app.Host.MarkPaidAsync(purchaseId, operatorToken);
        await app.Host.MarkPaidAsync(purchaseId, operatorToken); // reported twice, settled once
        var purchased = (await app.Host.EventsAsync(customer.Organization.Id, EventTypes.CreditsPurchased)).Single();
        purchased.Data.GetProperty("id").GetGuid().ShouldBe(purchaseId);
        purchased.Data.GetProperty("credits").GetInt32().ShouldBe(100);
        purchased.Data.GetProperty("status").GetString().ShouldBe("paid");
    }

    [Fact]
    public async Task Credits_low_is_sent_once_per_crossing_of_the_threshold()
    {
        var admin = await app.Host.WebhookAdminAsync();
        var threshold = await app.Host.AvailableAsync(admin.Token);
        await app.Host.Scenario(s =>
        {
            s.Put.Json(new { lowCreditsThreshold = threshold }).ToUrl("/api/webhooks/settings");
            s.As(admin.Token);
            s.StatusCodeShouldBe(200);
        });

        await RunJobAsync(admin.Token);
        var cost = threshold - await app.Host.AvailableAsync(admin.Token);
        await RunJobAsync(admin.Token);
        var low = (await app.Host.EventsAsync(admin.OrganizationId, EventTypes.CreditsLow)).Single(); // the first job crossed; the second did not
        low.Data.GetProperty("available").GetInt32().ShouldBe(threshold - cost);
        low.Data.GetProperty("threshold").GetInt32().ShouldBe(threshold);

        // Back above it: the next job leaves exactly the threshold (re-armed, nothing sent), the one after crosses again.
        await app.Host.PurchaseAsync(admin.OrganizationId, Guid.NewGuid(), 3 * cost);
        await RunJobAsync(admin.Token);
        (await app.Host.EventsAsync(admin.OrganizationId, EventTypes.CreditsLow)).Count.ShouldBe(1);
        await RunJobAsync(admin.Token);
        (await app.Host.EventsAsync(admin.OrganizationId, EventTypes.CreditsLow)).Count.ShouldBe(2);
    }

    private async Task RunJobAsync(string token) =>
        await app.Host.WaitForJobAsync(token, (await app.Host.SubmitJobAsync(token, "image", new { prompt = "a lighthouse" })).IdOf());
}
