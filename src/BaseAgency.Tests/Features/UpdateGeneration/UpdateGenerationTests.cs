using BaseAgency.Features.UpdateGeneration;
using BaseAgency.Generations;
using BaseAgency.Providers;

namespace BaseAgency.Tests.Features.UpdateGeneration;

/// <summary>The change a PATCH makes, as a plain function.</summary>
public sealed class UpdateGenerationTests
{
    private static readonly Guid Project = Guid.CreateVersion7();

    private static readonly Generation Generation = new(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), GenerationType.Image,
        "local", "local-image", new JobInput("p"), [], null, 1, 0, 0, DateTimeOffset.UnixEpoch, ["old"], Project, IsFavorite: true);

    private static BaseAgency.Features.UpdateGeneration.UpdateGeneration Change(IReadOnlyList<string>? tags = null, bool? favorite = null,
        Guid? project = null, bool clear = false) => new(Generation.Id, tags, favorite, project, clear);

    [Fact]
    public void Fields_left_out_keep_their_values()
    {
        var same = UpdateGenerationHandler.Apply(Generation, Change());
        same.Tags.ShouldBe(["old"]);
        same.IsFavorite.ShouldBeTrue();
        same.ProjectId.ShouldBe(Project);
    }

    [Fact]
    public void Tags_are_trimmed_and_kept_once_each()
    {
        UpdateGenerationHandler.Apply(Generation, Change(tags: [" brand", "brand ", "q4"])).Tags.ShouldBe(["brand", "q4"]);
        UpdateGenerationHandler.Apply(Generation, Change(tags: [])).Tags.ShouldBeEmpty();
    }

    [Fact]
    public void A_project_is_set_replaced_or_cleared()
    {
        var other = Guid.CreateVersion7();
        UpdateGenerationHandler.Apply(Generation, Change(project: other)).ProjectId.ShouldBe(other);
        UpdateGenerationHandler.Apply(Generation, Change(clear: true)).ProjectId.ShouldBeNull();
        UpdateGenerationHandler.Apply(Generation, Change(favorite: false)).IsFavorite.ShouldBeFalse();
    }
}
