using Alba;
using BaseAgency.Organizations;
using BaseAgency.Platform;
using BaseAgency.Plans;
using BaseAgency.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace BaseAgency.Tests.Features.MarkInvoicePaid;

[Collection(ClockedAppCollection.Name)]
public sealed class MarkInvoicePaidTests(ClockedAppFixture app)
{
    [Fact]
    public async Task Eight_operators_marking_one_invoice_at_once_credit_it_once_and_audit_it_once()
    {
        var customer = await app.Host.SignUpAsync();
        var org = customer.Organization.Id;
        var token = (await app.Host.LoginAsync(customer.User.Email)).AccessToken;
        var asked = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { plan = "starter" }).ToUrl("/api/subscription");
            s.As(token);
            s.StatusCodeShouldBe(202);
        });
        var invoiceId = (await asked.JsonAsync())["invoice"]!["id"]!.GetValue<Guid>();
        var platform = await app.Host.OperatorAsync();
        var operatorToken = (await app.Host.LoginAsync(platform.User.Email)).AccessToken;

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/admin/invoices/{invoiceId}/mark-paid");
            s.As(operatorToken);
            s.IgnoreStatusCode();
        })));

        answers.ShouldContain(a => a.Context.Response.StatusCode == 200);
        answers.ShouldAllBe(a => a.Context.Response.StatusCode == 200 || a.Context.Response.StatusCode == 409);
        (await app.Host.SubscriptionAsync(org)).Plan.ShouldBe(PlanSlug.Starter);
        (await app.Host.AccountAsync(org)).Available.ShouldBe(500);
        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QueryFor(org);
        (await session.Query<AuditEntry>().CountAsync(a => a.Action == "invoice.marked_paid" && a.OrganizationId == org)).ShouldBe(1);
    }

    [Fact]
    public async Task A_retried_mark_paid_with_its_idempotency_key_is_the_first_answer_replayed()
    {
        var customer = await app.Host.SignUpAsync();
        var token = (await app.Host.LoginAsync(customer.User.Email)).AccessToken;
        var asked = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { plan = "starter" }).ToUrl("/api/subscription");
            s.As(token);
            s.StatusCodeShouldBe(202);
        });
        var invoiceId = (await asked.JsonAsync())["invoice"]!["id"]!.GetValue<Guid>();
        var operatorToken = (await app.Host.LoginAsync((await app.Host.OperatorAsync()).User.Email)).AccessToken;

        async Task<IScenarioResult> MarkAsync() => await app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/admin/invoices/{invoiceId}/mark-paid");
            s.As(operatorToken);
            s.WithRequestHeader("Idempotency-Key", $"mark-{invoiceId}");
            s.StatusCodeShouldBe(200);
        });
        var first = await MarkAsync();
        var again = await MarkAsync();

        first.Context.Response.Headers.ContainsKey("Idempotent-Replayed").ShouldBeFalse();
        again.Context.Response.Headers["Idempotent-Replayed"].ToString().ShouldBe("true");
        (await again.JsonAsync())["paidAt"]!.GetValue<DateTimeOffset>().ShouldBe((await first.JsonAsync())["paidAt"]!.GetValue<DateTimeOffset>());
        (await app.Host.AccountAsync(customer.Organization.Id)).Available.ShouldBe(500);
    }

    [Fact]
    public async Task Only_operators_mark_invoices_paid_and_unknown_ones_are_not_found()
    {
        var customer = await app.Host.SignUpAsync();
        var token = (await app.Host.LoginAsync(customer.User.Email)).AccessToken;
        await (await app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/admin/invoices/{Guid.NewGuid()}/mark-paid");
            s.As(token);
            s.StatusCodeShouldBe(403);
        })).ProblemAsync(403, "forbidden");

        var platform = await app.Host.OperatorAsync();
        var operatorToken = (await app.Host.LoginAsync(platform.User.Email)).AccessToken;
        await (await app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/admin/invoices/{Guid.NewGuid()}/mark-paid");
            s.As(operatorToken);
            s.StatusCodeShouldBe(404);
        })).ProblemAsync(404, "not_found");
    }
}
