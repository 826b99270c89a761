using System.Text.Json.Nodes;
using BaseAgency.Caching;
using BaseAgency.Identity;
using BaseAgency.Platform;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;

namespace BaseAgency.Tests.Platform;

[Collection(AppCollection.Name)]
public sealed class SuperAdminsTests(AppFixture app)
{
    [Fact]
    public async Task Operators_are_named_by_user_id_and_an_address_in_configuration_elevates_nobody()
    {
        var named = await app.Host.SignUpAsync();
        var squatter = await app.Host.SignUpAsync(); // signed up with an address someone put in the old setting
        (await app.Host.GetAsJson<JsonObject>("/api/me", named.Tokens.AccessToken))["role"]!.GetValue<string>().ShouldBe("admin");
        await app.Host.Services.GetRequiredService<CacheInvalidationListener>().Listening.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await using (await app.StartAnotherNodeAsync(
                         ("Platform:SuperAdminUserIds:0", named.User.Id.ToString()),
                         ("Platform:SuperAdminEmails:0", squatter.User.Email)))
        {
        }

        (await RoleAsync(named.User.Email)).ShouldBe(Role.SuperAdmin);
        (await RoleAsync(squatter.User.Email)).ShouldBe(Role.Admin);
        // This node had the operator's standing cached as admin: the other node's promotion reaches it within a second.
        var deadline = DateTime.UtcNow.AddSeconds(1);
        string role;
        do role = (await app.Host.GetAsJson<JsonObject>("/api/me", named.Tokens.AccessToken))["role"]!.GetValue<string>();
        while (role != "super_admin" && DateTime.UtcNow < deadline);
        role.ShouldBe("super_admin");
    }

    [Fact]
    public async Task The_grant_command_promotes_an_existing_account_once_and_finds_no_one_for_an_unknown_address()
    {
        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        var cache = app.Host.Services.GetRequiredService<IFusionCache>();
        var account = await app.Host.SignUpAsync();

        var user = await SuperAdmins.FindByEmailAsync(store, account.User.Email.ToUpperInvariant(), CancellationToken.None);
        (await SuperAdmins.GrantAsync(store, cache, user!, CancellationToken.None)).ShouldBeTrue();
        (await SuperAdmins.GrantAsync(store, cache, (await SuperAdmins.FindByEmailAsync(store, account.User.Email, CancellationToken.None))!,
            CancellationToken.None)).ShouldBeFalse();

        (await RoleAsync(account.User.Email)).ShouldBe(Role.SuperAdmin);
        (await app.Host.GetAsJson<JsonObject>("/api/me", account.Tokens.AccessToken))["role"]!.GetValue<string>().ShouldBe("super_admin");
        (await SuperAdmins.FindByEmailAsync(store, Api.NewEmail("nobody"), CancellationToken.None)).ShouldBeNull();
    }

    private async Task<Role> RoleAsync(string email) =>
        (await SuperAdmins.FindByEmailAsync(app.Host.Services.GetRequiredService<IDocumentStore>(), email, CancellationToken.None))!.Role;
}
