using BaseAgency.Http;
using BaseAgency.Plans;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BaseAgency.Identity;

/// <summary>The answers membership rules give, whichever use case asks (sign-up, invitations, role changes, removal).</summary>
public static class MemberProblems
{
    /// <summary>Also the answer when another account takes the address between the check and the commit.</summary>
    public static ProblemHttpResult EmailTaken() =>
        Problems.Conflict("email_taken", "An account with this e-mail address already exists.");

    /// <param name="seats">Members, plus pending invitations where those hold a seat.</param>
    public static ProblemHttpResult TeamFull(Plan plan, int seats, string? counting = null) =>
        Problems.Forbidden("team_member_limit_reached", "The plan's team member limit is reached.",
            $"The {plan.Name} plan allows {plan.Limits.MaxTeamMembers} member(s){counting}.",
            ("limit", plan.Limits.MaxTeamMembers), ("current", seats));

    public static ProblemHttpResult LastAdmin() =>
        Problems.Conflict("last_admin", "The organization must keep at least one admin.");
}
