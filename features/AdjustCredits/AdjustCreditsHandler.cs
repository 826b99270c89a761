using BaseAgency.Http;
using BaseAgency.Ledger;
using BaseAgency.Organizations;
using BaseAgency.Platform;
using Marten;

namespace BaseAgency.Features.AdjustCredits;

/// <summary>An operator's correction, in the ledger like every movement and in the audit log with who and why.</summary>
public static class AdjustCreditsHandler
{
    public static async Task<Outcome<AdjustCreditsResponse>> Handle(AdjustCredits command, IDocumentSession session, CreditLedger ledger,
        TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<Organization>(command.OrganizationId, ct) is null) return Problems.NotFound("The organization");

        if (await ledger.AdjustAsync(session, command.OrganizationId, command.Amount, CreditKinds.BucketOf(command.Bucket), command.Reason,
                command.OperatorId, ct) is { } rejection)
            return Problems.From(rejection);
        session.Store(new AuditEntry(Guid.CreateVersion7(), command.OperatorId, "credits.adjusted", command.OrganizationId,
            $"{command.Amount:+#;-#} {Json.NameOf(command.Bucket)} credits: {command.Reason}", clock.GetUtcNow()));

        // The adjustment commits after this returns; the ledger lock, held since AdjustAsync, keeps the account as read here
        // until then, so the answer is what was read plus the amount.
        var before = (await ledger.ReadAsync(session, command.OrganizationId, ct))!;
        return new AdjustCreditsResponse(command.OrganizationId, command.Amount, before.Available + command.Amount, before.Balance + command.Amount);
    }
}
