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

        var locked = await ledger.LockAccountAsync(session, command.OrganizationId, ct);
        // A retry of a keyed request whose answer was lost (the key's record is gone, its adjustment is not): made once.
        var reference = command.Idempotency is { } request ? $"{command.OperatorId:N}:{request.Key}:{request.Fingerprint}" : null;
        if (reference is null || !await CreditLedger.AppliedAsync(session, LedgerViews.AdjustmentKey(reference), ct))
        {
            var before = CreditRules.AsOf(locked.Account, clock.GetUtcNow()).Available;
            if (ledger.Adjust(session, locked, command.Amount, CreditKinds.BucketOf(command.Bucket), command.Reason, command.OperatorId, reference)
                is { } rejection)
                return Problems.From(rejection);
            session.Store(new AuditEntry(Guid.CreateVersion7(), command.OperatorId, "credits.adjusted", command.OrganizationId,
                $"{command.Amount:+#;-#} {Json.NameOf(command.Bucket)} credits: {command.Reason}", clock.GetUtcNow())
            {
                ResourceType = "organizations",
                ResourceId = command.OrganizationId.ToString(),
                Changes = new Dictionary<string, AuditChange>
                {
                    ["available"] = new($"{before}", $"{CreditRules.AsOf(locked.Account, clock.GetUtcNow()).Available}"),
                },
            });
        }

        // The lock is held until the adjustment commits, so the account as staged is the answer.
        var after = CreditRules.AsOf(locked.Account, clock.GetUtcNow());
        return new AdjustCreditsResponse(command.OrganizationId, command.Amount, after.Available, after.Balance);
    }
}
