using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.RefreshSession;

public sealed class RefreshSessionValidator : Validator<RefreshRequest>
{
    public RefreshSessionValidator() => RuleFor(x => x.RefreshToken).NotEmpty().MaximumLength(200);
}
