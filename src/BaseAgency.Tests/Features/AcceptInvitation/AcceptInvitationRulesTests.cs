using BaseAgency.Features.AcceptInvitation;
using BaseAgency.Plans;

namespace BaseAgency.Tests.Features.AcceptInvitation;

/// <summary>When a pending invitation may be accepted, as a function of what was loaded.</summary>
public sealed class AcceptInvitationRulesTests
{
    private static readonly Plan Starter = SeedPlans.Plans.Single(p => p.Slug == PlanSlug.Starter);

    [Fact]
    public void An_address_taken_since_the_invite_is_409()
    {
        var problem = AcceptInvitationHandler.Refusal(emailTaken: true, members: 1, Starter)!.ProblemDetails;
        problem.Status.ShouldBe(409);
        problem.Extensions["code"].ShouldBe("email_taken");
    }

    [Fact]
    public void A_plan_that_filled_up_since_the_invite_refuses_it()
    {
        AcceptInvitationHandler.Refusal(false, members: 2, Starter).ShouldBeNull();

        var problem = AcceptInvitationHandler.Refusal(false, members: 3, Starter)!.ProblemDetails;
        problem.Status.ShouldBe(403);
        problem.Extensions["code"].ShouldBe("team_member_limit_reached");
        problem.Extensions["current"].ShouldBe(3);
    }
}
