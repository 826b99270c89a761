using BaseAgency.Features.CreateApiKey;
using BaseAgency.Generations;
using BaseAgency.Identity;
using BaseAgency.Plans;
using BaseAgency.Providers;

namespace BaseAgency.Tests.Features.CreateApiKey;

public sealed class ApiKeyRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 15, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Scopes_act_with_the_strongest_role_they_give()
    {
        ApiKeyScopes.RoleOf([ApiKeyScope.Read]).ShouldBe(Role.Viewer);
        ApiKeyScopes.RoleOf([ApiKeyScope.Read, ApiKeyScope.Generate]).ShouldBe(Role.Member);
        ApiKeyScopes.RoleOf([ApiKeyScope.Billing]).ShouldBe(Role.Admin);
        ApiKeyScopes.RoleOf([ApiKeyScope.Admin, ApiKeyScope.Read]).ShouldBe(Role.Admin);
    }

    [Fact]
    public void Admin_includes_generate_every_scope_reads_and_billing_is_its_own()
    {
        ApiKeyScopes.Grants([ApiKeyScope.Billing], ApiKeyScope.Read).ShouldBeTrue();
        ApiKeyScopes.Grants([ApiKeyScope.Read], ApiKeyScope.Generate).ShouldBeFalse();
        ApiKeyScopes.Grants([ApiKeyScope.Admin], ApiKeyScope.Generate).ShouldBeTrue();
        ApiKeyScopes.Grants([ApiKeyScope.Admin], ApiKeyScope.Billing).ShouldBeFalse();
        ApiKeyScopes.Grants([ApiKeyScope.Generate], ApiKeyScope.Admin).ShouldBeFalse();
        ApiKeyScopes.ImpliedBy(Role.SuperAdmin).ShouldBeNull();
    }

    [Fact]
    public void Keys_need_api_access_and_an_expiry_in_the_future()
    {
        var free = SeedPlans.Plans.Single(p => p.Slug == PlanSlug.Free);
        var pro = SeedPlans.Plans.Single(p => p.Slug == PlanSlug.Professional);
        CreateApiKeyHandler.Refusal(free, null, Now).ShouldNotBeNull();
        CreateApiKeyHandler.Refusal(pro, Now, Now).ShouldNotBeNull();
        CreateApiKeyHandler.Refusal(pro, Now.AddSeconds(1), Now).ShouldBeNull();
        CreateApiKeyHandler.Refusal(pro, null, Now).ShouldBeNull();
    }

    [Fact]
    public void A_secret_is_found_by_its_prefix_and_checked_by_its_keyed_hash()
    {
        var pepper = new byte[32];
        var secret = ApiKey.NewSecret();
        ApiKey.LooksLikeSecret(secret).ShouldBeTrue();
        ApiKey.PrefixOf(secret).ShouldBe(secret[..16]);
        ApiKey.HashOf(secret, pepper).ShouldNotContain(secret[16..]);
        ApiKey.HashOf(secret, pepper).ShouldNotBe(ApiKey.HashOf(secret, [.. pepper[..31], 1]));

        var key = Key() with { Prefix = ApiKey.PrefixOf(secret), Hash = ApiKey.HashOf(secret, pepper) };
        var next = ApiKey.NewSecret();
        var rotated = key.Rotated(next, pepper, Now.AddHours(1));
        (rotated.PreviousPrefix, rotated.PreviousHash).ShouldBe((key.Prefix, key.Hash));
        rotated.Prefix.ShouldBe(ApiKey.PrefixOf(next));
        key.IsUsable(Now).ShouldBeTrue();
        (key with { ExpiresAt = Now }).IsUsable(Now).ShouldBeFalse();
        (key with { RevokedAt = Now }).IsUsable(Now).ShouldBeFalse();
    }

    [Fact]
    public void A_keys_types_models_credits_and_parallel_jobs_each_say_no()
    {
        var job = Job(GenerationType.Image, "local", "local-image", credits: 3);
        var none = new ApiKeySpend(0, 0);
        ApiKeyLimitRules.Refusal(Key(), job, none).ShouldBeNull();
        Code(Key() with { AllowedTypes = [GenerationType.Text] }, job, none).ShouldBe("api_key_not_allowed");
        Code(Key() with { AllowedModels = ["other"] }, job, none).ShouldBe("api_key_not_allowed");
        ApiKeyLimitRules.Refusal(Key() with { AllowedModels = ["local/local-image"] }, job, none).ShouldBeNull();
        ApiKeyLimitRules.Refusal(Key() with { AllowedModels = ["local-image"] }, job, none).ShouldBeNull();

        var capped = Key() with { Limits = new ApiKeyLimits(MonthlyCredits: 10) };
        ApiKeyLimitRules.Refusal(capped, job, new ApiKeySpend(0, 7)).ShouldBeNull();
        Code(capped, job, new ApiKeySpend(0, 8)).ShouldBe("api_key_credit_cap_reached");

        var single = Key() with { Limits = new ApiKeyLimits(MaxParallelJobs: 1) };
        ApiKeyLimitRules.Refusal(single, job, new ApiKeySpend(0, 0)).ShouldBeNull();
        ApiKeyLimitRules.Refusal(single, job, new ApiKeySpend(1, 0))!.StatusCode.ShouldBe(429);
    }

    private static string? Code(ApiKey key, GenerationJob job, ApiKeySpend spend) =>
        ApiKeyLimitRules.Refusal(key, job, spend)?.ProblemDetails.Extensions["code"] as string;

    private static ApiKey Key() => new(Guid.NewGuid(), Guid.NewGuid(), "k", [ApiKeyScope.Generate], Guid.NewGuid(), Now, "ba_live_AAAAAAAA", "00");

    private static GenerationJob Job(GenerationType type, string provider, string model, int credits) =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), type, provider, model, new JobInput("x"), JobStatus.Queued, false, credits, Guid.Empty, Now);
}
