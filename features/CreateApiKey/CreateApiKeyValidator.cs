using BaseAgency.Identity;
using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.CreateApiKey;

public sealed class CreateApiKeyValidator : Validator<CreateApiKeyRequest>
{
    public CreateApiKeyValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(100);
        RuleFor(x => x.Scopes).NotEmpty().Must(s => s.Distinct().Count() == s.Count).WithMessage("Each scope once.");
        RuleForEach(x => x.Scopes).IsInEnum();
        RuleFor(x => x.AllowedTypes).Must(t => t is null || t.Count > 0).WithMessage("Omit it to allow every type, or name at least one.");
        RuleForEach(x => x.AllowedTypes).IsInEnum();
        RuleFor(x => x.AllowedModels).Must(m => m is null || m.Count is > 0 and <= 50)
            .WithMessage("Omit it to allow every model, or name 1–50.");
        RuleForEach(x => x.AllowedModels).NotEmpty().MaximumLength(200);
        RuleFor(x => x.Limits!.MonthlyCredits).GreaterThan(0).When(x => x.Limits is not null).OverridePropertyName("limits.monthlyCredits");
        RuleFor(x => x.Limits!.MaxParallelJobs).GreaterThan(0).When(x => x.Limits is not null).OverridePropertyName("limits.maxParallelJobs");
        RuleFor(x => x.Limits!.RequestsPerMinute).InclusiveBetween(1, 100_000).When(x => x.Limits is not null)
            .OverridePropertyName("limits.requestsPerMinute");
    }
}
