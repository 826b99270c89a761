using BaseAgency.RateLimiting;
using Microsoft.Extensions.Time.Testing;
using Shouldly;

namespace BaseAgency.Tests.RateLimiting;

public sealed class RequestLimiterTests
{
    [Fact]
    public async Task A_window_allows_its_limit_says_what_is_left_and_when_it_ends()
    {
        var clock = new FakeTimeProvider();
        using var limiter = new InProcessRequestLimiter(clock);
        var rule = new LimitRule("organization-minute", "org-minute:a", 2, TimeSpan.FromMinutes(1));

        var first = await limiter.AcquireAsync(rule, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(20));
        var second = await limiter.AcquireAsync(rule, CancellationToken.None);
        var third = await limiter.AcquireAsync(rule, CancellationToken.None);

        (first.Allowed, first.Remaining, first.ResetAfter).ShouldBe((true, 1, TimeSpan.FromMinutes(1)));
        (second.Allowed, second.Remaining, second.ResetAfter).ShouldBe((true, 0, TimeSpan.FromSeconds(40)));
        (third.Allowed, third.Remaining, third.ResetAfter).ShouldBe((false, 0, TimeSpan.FromSeconds(40)));
    }

    [Fact]
    public async Task A_changed_limit_is_counted_apart_from_the_old_one()
    {
        using var limiter = new InProcessRequestLimiter(new FakeTimeProvider());
        var free = new LimitRule("organization-minute", "org-minute:b", 1, TimeSpan.FromMinutes(1));

        (await limiter.AcquireAsync(free, CancellationToken.None)).Allowed.ShouldBeTrue();
        (await limiter.AcquireAsync(free, CancellationToken.None)).Allowed.ShouldBeFalse();
        (await limiter.AcquireAsync(free with { Limit = 20 }, CancellationToken.None)).Allowed.ShouldBeTrue();
    }
}
