using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Providers;
using Marten;
using Wolverine;

namespace BaseAgency.Features.GenerateAudio;

/// <summary>Speech from text, priced per minute of audio: the text's spoken length is reserved, the actual length charged.</summary>
public static class GenerateAudioHandler
{
    public static Task<Outcome<Submitted>> Handle(GenerateAudio command, IDocumentSession session, IMessageContext bus, JobSubmission submission,
        CancellationToken ct)
    {
        var req = command.Request;
        var input = JobInputs.Audio(req.Text, req.Voice) with { ProjectId = req.ProjectId, Tags = Submitting.Trimmed(req.Tags) };
        return submission.SubmitAsync(session, bus, new JobOrder(command.OrganizationId, command.UserId, command.Idempotency,
            GenerationType.Audio, req.Provider, req.Model, input, req.AllowFailover, command.ApiKeyId, req.QuoteId, command.CancelAfter), ct);
    }
}
