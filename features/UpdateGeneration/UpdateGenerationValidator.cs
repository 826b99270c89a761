using BaseAgency.Generations;
using FastEndpoints;
using FluentValidation;

namespace BaseAgency.Features.UpdateGeneration;

public sealed class UpdateGenerationValidator : Validator<UpdateGenerationRequest>
{
    public UpdateGenerationValidator()
    {
        this.ValidTags(x => x.Tags);
        RuleFor(x => x).Must(x => !(x.ClearProject && x.ProjectId is not null)).WithName("projectId")
            .WithMessage("Give a project or clearProject, not both.");
    }
}
