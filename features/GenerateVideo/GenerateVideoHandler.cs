using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Providers;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.GenerateVideo;

/// <summary>Animates an image, one of ours or one at an https URL; priced per second of video.</summary>
public static class GenerateVideoHandler
{
    public static async Task<Outcome<Submitted>> Handle(GenerateVideo command, IDocumentSession session, IMessageContext bus, JobSubmission submission,
        CancellationToken ct)
    {
        var req = command.Request;
        var source = req.SourceImage.Trim();
        if (Guid.TryParse(source, out var generationId) && SourceProblem(await session.LoadAsync<Generation>(generationId, ct)) is { } problem)
            return problem;

        var input = JobInputs.Video(source, req.Duration, req.MotionPrompt, req.AspectRatio) with
        {
            Seed = req.Seed ?? Random.Shared.NextInt64(0, uint.MaxValue), ProjectId = req.ProjectId, Tags = Submitting.Trimmed(req.Tags),
        };
        return await submission.SubmitAsync(session, bus, new JobOrder(command.OrganizationId, command.UserId, command.Idempotency,
            GenerationType.Video, req.Provider, req.Model, input, req.AllowFailover, command.ApiKeyId, req.QuoteId, command.CancelAfter), ct);
    }

    /// <summary>Our own source image must be there and an image; another organization's is simply not found (the session sees only ours).</summary>
    public static ProblemHttpResult? SourceProblem(Generation? image) => image switch
    {
        null or { DeletedAt: not null } => Problems.NotFound("The source image"),
        { Type: not GenerationType.Image } => Problems.Of(422, "source_not_an_image", "The source generation is not an image."),
        _ => null,
    };
}
