using BaseAgency.Hosting;
using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Organizations;
using FastEndpoints;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;
using Wolverine.Runtime;
using Wolverine.Marten;

namespace BaseAgency.Features.SignUp;

public sealed record SignUpRequest(string Name, string Email, string Password, string OrganizationName);

public sealed record SignUpResponse(MemberView User, OrganizationView Organization, TokenPair Tokens);

public sealed class SignUpValidator : Validator<SignUpRequest>
{
    public SignUpValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(100);
        RuleFor(x => x.Email).NotEmpty().EmailAddress().MaximumLength(254);
        RuleFor(x => x.Password).NotEmpty().MinimumLength(Passwords.MinimumLength).MaximumLength(128);
        RuleFor(x => x.OrganizationName).NotEmpty().MinimumLength(2).MaximumLength(100);
    }
}

/// <summary>
/// POST /api/auth/signup: a new organization with its first admin on the Free plan, signed in at once.
/// The organization, the user, the subscription and the OrganizationCreated message commit together.
/// </summary>
public sealed class SignUpEndpoint(IDocumentStore store, IWolverineRuntime wolverine, Tokens tokens, TimeProvider clock)
    : Endpoint<SignUpRequest, Results<Created<SignUpResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/auth/signup");
        AllowAnonymous();
        Description(d => d.WithName("SignUp").WithSummary("Create an organization and its admin").WithTags("Identity")
            .ProducesProblem(400).ProducesProblem(409));
    }

    public override async Task<Results<Created<SignUpResponse>, ProblemHttpResult>> ExecuteAsync(SignUpRequest req, CancellationToken ct)
    {
        var email = Identity.User.Normalize(req.Email);
        await using var platform = store.QuerySession();
        if (await platform.Query<User>().AnyAsync(u => u.AnyTenant() && u.Email == email, ct))
            return EmailTaken();

        var slug = Slugs.From(req.OrganizationName);
        if (await platform.Query<Organization>().AnyAsync(o => o.Slug == slug, ct)) slug = Slugs.WithSuffix(slug);

        var opened = NewOrganization.Open(req.OrganizationName, slug, req.Name, email, Passwords.Hash(req.Password), clock.GetUtcNow());
        await using var session = store.LightweightSession(opened.Organization.TenantId);
        var outbox = new MartenOutbox(wolverine, session); // the message commits with the documents
        opened.StageIn(session);
        var pair = tokens.Issue(session, opened.Admin, opened.Organization.Id);
        await outbox.PublishAsync(opened.Created, new DeliveryOptions { TenantId = opened.Organization.TenantId });

        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e.IsUniqueViolation())
        {
            return EmailTaken(); // another sign-up with this address won the race
        }

        return TypedResults.Created("/api/me",
            new SignUpResponse(MemberView.Of(opened.Admin), OrganizationView.Of(opened.Organization), pair));
    }

    private static ProblemHttpResult EmailTaken() =>
        Problems.Conflict("email_taken", "An account with this e-mail address already exists.");
}
