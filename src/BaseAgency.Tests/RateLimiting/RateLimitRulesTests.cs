using BaseAgency.Plans;
using BaseAgency.RateLimiting;

namespace BaseAgency.Tests.RateLimiting;

public sealed class RateLimitRulesTests
{
    private static readonly RateLimitOptions Options = new();
    private static readonly Guid User = Guid.NewGuid(), Organization = Guid.NewGuid();
    private static PlanLimits Free => SeedPlans.Plans.Single(p => p.Slug == PlanSlug.Free).Limits;
    private static PlanLimits Enterprise => SeedPlans.Plans.Single(p => p.Slug == PlanSlug.Enterprise).Limits;

    private static LimitedRequest Request(bool submission = false, bool apiKey = false, bool anonymousAuth = false, bool signedIn = true) =>
        new(submission, anonymousAuth, signedIn ? User : null, signedIn ? Organization : null, apiKey, "10.0.0.1");

    [Fact]
    public void Browsing_with_a_session_counts_for_the_user_only() =>
        RateLimits.RulesFor(Request(), Free, Options).Select(r => (r.Policy, r.Limit)).ShouldBe([("user", 300)]);

    [Fact]
    public void A_submission_counts_for_the_user_and_the_organizations_minute_and_day() =>
        RateLimits.RulesFor(Request(submission: true), Free, Options).Select(r => (r.Policy, r.Limit))
            .ShouldBe([("user", 300), ("organization-minute", 5), ("organization-day", 100)]);

    [Fact]
    public void Every_api_key_request_counts_for_the_organization_and_not_for_a_user() =>
        RateLimits.RulesFor(Request(apiKey: true), Free, Options).Select(r => r.Policy).ShouldBe(["organization-minute", "organization-day"]);

    [Fact]
    public void An_unlimited_plan_adds_no_organization_limit() =>
        RateLimits.RulesFor(Request(submission: true), Enterprise, Options).Select(r => r.Policy).ShouldBe(["user"]);

    [Fact]
    public void Anonymous_identity_endpoints_count_per_ip_and_other_anonymous_requests_are_not_limited()
    {
        RateLimits.RulesFor(Request(anonymousAuth: true, signedIn: false), null, Options).Select(r => r.Key).ShouldBe(["ip:10.0.0.1"]);
        RateLimits.RulesFor(Request(signedIn: false), null, Options).ShouldBeEmpty();
        RateLimits.IsAnonymousAuth("POST", "/api/auth/accept-invitation").ShouldBeTrue();
        RateLimits.IsSubmission("POST", "/api/generations/video").ShouldBeTrue();
        RateLimits.IsSubmission("GET", "/api/generations/video").ShouldBeFalse();
    }
}
