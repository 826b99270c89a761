using System.Text.Json.Nodes;
using BaseAgency.Features.ListAuditLogs;
using BaseAgency.Identity;
using BaseAgency.Platform;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Tracking;

namespace BaseAgency.Tests.Features.ListAuditLogs;

public sealed class AuditLogScopeTests
{
    private static readonly Guid Own = Guid.NewGuid();
    private static readonly Guid Other = Guid.NewGuid();

    [Theory]
    [InlineData(Role.Admin, false, true, "own")]
    [InlineData(Role.Admin, true, false, null)]
    [InlineData(Role.SuperAdmin, false, true, null)]
    [InlineData(Role.SuperAdmin, true, true, "other")]
    public void An_admin_reads_their_organization_and_an_operator_any_or_all(Role role, bool asksForOther, bool allowed, string? reads)
    {
        var caller = new SignedIn(Guid.NewGuid(), Own, role);
        ListAuditLogsHandler.MayRead(caller, asksForOther ? Other : null, out var organization).ShouldBe(allowed);
        if (allowed) organization.ShouldBe(reads switch { "own" => Own, "other" => Other, _ => null });
    }
}

[Collection(AppCollection.Name)]
public sealed class ListAuditLogsTests(AppFixture app)
{
    [Fact]
    public async Task An_admin_reads_their_organizations_entries_newest_first_filtered_and_paged()
    {
        var customer = await app.Host.SignUpAsync();
        var stranger = await app.Host.SignUpAsync();
        var token = customer.Tokens.AccessToken;
        await app.Host.SetPlanAsync(customer.Organization.Id, PlanSlug.Starter);
        var member = await app.Host.AddMemberAsync(token, Role.Member);
        await app.Host.Scenario(s =>
        {
            s.Patch.Json(new { role = "viewer" }).ToUrl($"/api/organization/members/{member.UserId}");
            s.As(token);
        });
        await app.Host.AddMemberAsync(token, Role.Viewer);

        // An entry is written once its answer is complete, which the test server does not wait for: read until all eleven are in.
        List<JsonObject> items;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do items = (await app.Host.GetAsJson<JsonObject>("/api/audit-logs?limit=200", token))["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        while (items.Count < 11 && DateTime.UtcNow < deadline);
        items.Select(i => i["organizationId"]!.GetValue<Guid>()).ShouldAllBe(o => o == customer.Organization.Id);
        // A request entry is written once its answer is complete, so it may land after the next request's change entry:
        // the set is exact, the order is the ids' (newest first).
        items.Select(i => i["action"]!.GetValue<string>()).ShouldBe(
            ["accept_invitation", "invite_member", "member.invited", "change_member_role", "member.role_changed", "accept_invitation", "invite_member",
             "member.invited", "subscription.changed", "sign_up", "subscription.changed"], ignoreOrder: true);
        items.Select(i => i["id"]!.GetValue<Guid>()).ShouldBeInOrder(SortDirection.Descending);

        var invites = await app.Host.GetAsJson<JsonObject>($"/api/audit-logs?action=invite_member&userId={customer.User.Id}&limit=1", token);
        invites["items"]!.AsArray().Count.ShouldBe(1);
        var next = invites["nextCursor"]!.GetValue<Guid>();
        var second = await app.Host.GetAsJson<JsonObject>($"/api/audit-logs?action=invite_member&limit=1&cursor={next}", token);
        second["items"]![0]!["id"]!.GetValue<Guid>().ShouldBeLessThan(invites["items"]![0]!["id"]!.GetValue<Guid>());
        second["nextCursor"].ShouldBeNull();

        var roleChanges = await app.Host.GetAsJson<JsonObject>(
            $"/api/audit-logs?resourceType=members&resourceId={member.UserId}", token);
        // The request, and the change with the role before and after.
        roleChanges["items"]!.AsArray().Select(i => i!["action"]!.GetValue<string>()).ShouldBe(["change_member_role", "member.role_changed"]);
        var change = roleChanges["items"]![1]!["changes"]!["role"]!;
        (change["old"]!.GetValue<string>(), change["new"]!.GetValue<string>()).ShouldBe(("member", "viewer"));

        // A window from the role change to its request entry holds those two, and only entries within it.
        DateTimeOffset At(string action) => items.Single(i => i["action"]!.GetValue<string>() == action)["at"]!.GetValue<DateTimeOffset>();
        var (from, to) = (At("member.role_changed"), At("change_member_role"));
        var window = await app.Host.GetAsJson<JsonObject>($"/api/audit-logs?from={Query(from.AddTicks(-1))}&to={Query(to.AddTicks(5000))}", token);
        var inWindow = window["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        inWindow.Select(i => i["action"]!.GetValue<string>()).ShouldContain("change_member_role");
        inWindow.Select(i => i["action"]!.GetValue<string>()).ShouldContain("member.role_changed");
        inWindow.ShouldAllBe(i => i["at"]!.GetValue<DateTimeOffset>() >= from && i["at"]!.GetValue<DateTimeOffset>() < to.AddTicks(5000));
        inWindow.Count.ShouldBeLessThan(items.Count);

        var theirs = await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/audit-logs?organizationId={stranger.Organization.Id}");
            s.As(token);
            s.StatusCodeShouldBe(403);
        });
        await theirs.ProblemAsync(403, "other_organization");
        await app.Host.GetAsJson<JsonObject>("/api/audit-logs", member.Tokens.AccessToken, 403);
    }

    private static string Query(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O"));

    [Fact]
    public async Task An_operator_reads_any_organization_or_all_of_them()
    {
        var operatorOrg = await app.Host.OperatorAsync();
        var customer = await app.Host.SignUpAsync();
        var other = await app.Host.SignUpAsync();
        var token = operatorOrg.Tokens.AccessToken;

        var customers = await app.Host.GetAsJson<JsonObject>($"/api/audit-logs?organizationId={customer.Organization.Id}", token);
        customers["items"]!.AsArray().Select(i => i!["organizationId"]!.GetValue<Guid>()).Distinct().ShouldBe([customer.Organization.Id]);

        var everyone = await app.Host.GetWhenAsync("/api/audit-logs?action=sign_up&limit=200", token,
            page => page["items"]!.AsArray().Count(i => i!["organizationId"]!.GetValue<Guid>() == other.Organization.Id) == 1);
        var organizations = everyone["items"]!.AsArray().Select(i => i!["organizationId"]!.GetValue<Guid>()).ToList();
        organizations.ShouldContain(customer.Organization.Id);
        organizations.ShouldContain(other.Organization.Id);
    }

    [Fact]
    public async Task Retention_deletes_only_entries_older_than_the_window()
    {
        var organization = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            session.Store(new AuditEntry(Guid.CreateVersion7(), null, "expired", organization, "", now.AddDays(-366)));
            session.Store(new AuditEntry(Guid.CreateVersion7(), null, "kept", organization, "", now.AddDays(-364)));
            await session.SaveChangesAsync();
        }

        await app.Host.InvokeMessageAndWaitAsync(new PurgeAuditLog());

        await using var query = store.QuerySession();
        (await query.Query<AuditEntry>().Where(a => a.OrganizationId == organization).Select(a => a.Action).ToListAsync()).ShouldBe(["kept"]);
    }
}
