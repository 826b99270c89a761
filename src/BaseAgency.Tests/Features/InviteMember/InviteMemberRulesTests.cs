using BaseAgency.Features.InviteMember;
using BaseAgency.Plans;

namespace BaseAgency.Tests.Features.InviteMember;

/// <summary>When an invitation may be made, as a function of what was loaded.</summary>
public sealed class InviteMemberRulesTests
{
    private static Plan PlanOf(PlanSlug slug) => SeedPlans.Plans.Single(p => p.Slug == slug);

    [Fact]
    public void An_address_with_an_account_is_409()
    {
        var problem = InviteMemberHandler.Refusal(emailTaken: true, seats: 1, PlanOf(PlanSlug.Starter))!.ProblemDetails;
        problem.Status.ShouldBe(409);
        problem.Extensions["code"].ShouldBe("email_taken");
    }

    [Fact]
    public void Members_and_pending_invitations_together_fill_the_plans_seats()
    {
        InviteMemberHandler.Refusal(false, seats: 2, PlanOf(PlanSlug.Starter)).ShouldBeNull();

        var problem = InviteMemberHandler.Refusal(false, seats: 3, PlanOf(PlanSlug.Starter))!.ProblemDetails;
        problem.Status.ShouldBe(403);
        problem.Extensions["code"].ShouldBe("team_member_limit_reached");
        problem.Extensions["limit"].ShouldBe(3);
        problem.Extensions["current"].ShouldBe(3);
    }

    [Fact]
    public void An_unlimited_plan_never_runs_out_of_seats() =>
        InviteMemberHandler.Refusal(false, seats: 10_000, PlanOf(PlanSlug.Enterprise)).ShouldBeNull();
}
