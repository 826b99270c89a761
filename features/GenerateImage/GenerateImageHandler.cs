using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Providers;
using Marten;
using Wolverine;

namespace BaseAgency.Features.GenerateImage;

/// <summary>
/// Checks plan, model, size, quota and credits, then reserves the price and queues the job. Without a size,
/// the aspect ratio is made at the default size, or at the plan's largest if that is smaller.
/// </summary>
public static class GenerateImageHandler
{
    public static Task<Outcome<Submitted>> Handle(GenerateImage command, IDocumentSession session, IMessageContext bus, JobSubmission submission,
        CancellationToken ct)
    {
        var req = command.Request;
        var input = JobInputs.Image(req.Prompt, req.NegativePrompt, req.Style, req.AspectRatio, req.Width, req.Height) with
        {
            Seed = req.Seed ?? Random.Shared.NextInt64(0, uint.MaxValue), ProjectId = req.ProjectId, Tags = Submitting.Trimmed(req.Tags),
        };
        return submission.SubmitAsync(session, bus, new JobOrder(command.OrganizationId, command.UserId, command.Idempotency,
            GenerationType.Image, req.Provider, req.Model, input, req.AllowFailover, command.ApiKeyId, req.QuoteId, command.CancelAfter), ct);
    }
}
