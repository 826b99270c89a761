using BaseAgency.Tests.Support;

namespace BaseAgency.Tests.Features.CreateApiKey;

[Collection(ClockedAppCollection.Name)]
public sealed class ApiKeyExpiryTests(ClockedAppFixture app)
{
    [Fact]
    public async Task An_expired_key_is_refused_even_while_its_lookup_is_cached()
    {
        var admin = await ApiKeyCalls.ProfessionalAdminAsync(app.Host);
        var (_, secret) = await app.Host.CreateKeyAsync(admin, new { name = "short", scopes = new[] { "read" }, expiresAt = app.Clock.GetUtcNow().AddHours(1) });
        await app.Host.CallAsync(secret, "/api/credits/balance", 200);

        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.Host.CallAsync(secret, "/api/credits/balance", 401);
    }

    [Fact]
    public async Task The_previous_secret_stops_when_the_overlap_ends()
    {
        var admin = await ApiKeyCalls.ProfessionalAdminAsync(app.Host);
        var (keyId, old) = await app.Host.CreateKeyAsync(admin, new { name = "rotating", scopes = new[] { "read" } });
        var fresh = await app.Host.RotateAsync(admin.Token, keyId, new { overlap = "00:10:00" });

        app.Clock.Advance(TimeSpan.FromMinutes(9));
        await app.Host.CallAsync(old, "/api/credits/balance", 200);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.Host.CallAsync(old, "/api/credits/balance", 401);
        await app.Host.CallAsync(fresh, "/api/credits/balance", 200);
    }
}
