using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Providers;
using Marten;
using Wolverine;

namespace BaseAgency.Features.GenerateText;

/// <summary>Priced per thousand tokens: the prompt plus maxTokens is reserved, the tokens actually used are charged.</summary>
public static class GenerateTextHandler
{
    public static Task<Outcome<Submitted>> Handle(GenerateText command, IDocumentSession session, IMessageContext bus, JobSubmission submission,
        CancellationToken ct)
    {
        var req = command.Request;
        var input = JobInputs.Text(req.Prompt, req.MaxTokens) with { ProjectId = req.ProjectId, Tags = Submitting.Trimmed(req.Tags) };
        return submission.SubmitAsync(session, bus, new JobOrder(command.OrganizationId, command.UserId, command.Idempotency,
            GenerationType.Text, req.Provider, req.Model, input, req.AllowFailover, command.ApiKeyId, req.QuoteId, command.CancelAfter), ct);
    }
}
