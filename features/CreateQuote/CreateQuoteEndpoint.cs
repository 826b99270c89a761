using BaseAgency.Http;
using BaseAgency.Identity;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace BaseAgency.Features.CreateQuote;

/// <summary>201 with the price a submission carrying the quote's id pays until it expires.</summary>
public sealed class CreateQuoteEndpoint(IMessageBus bus) : Endpoint<CreateQuoteRequest, Results<Created<QuoteView>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/quotes");
        Policies(Identity.Policies.Member);
        Description(d => d.WithName("CreateQuote").WithSummary("Quote the price of a generation").WithTags("Generations")
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(422));
    }

    public override async Task<Results<Created<QuoteView>, ProblemHttpResult>> ExecuteAsync(CreateQuoteRequest req, CancellationToken ct)
    {
        var caller = User.Required();
        var outcome = await bus.InvokeForTenantAsync<Outcome<QuoteView>>(caller.Tenant,
            new CreateQuote(caller.OrganizationId, caller.UserId, req, caller.ApiKeyId), ct);
        return outcome.Problem is { } problem ? problem : TypedResults.Created((string?)null, outcome.Value);
    }
}
