using Alba;
using BaseAgency.Ledger;
using BaseAgency.Organizations;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Marten;

namespace BaseAgency.Tests.Support;

/// <summary>Calls the ledger API the way features do: one session per call, saved when the ledger says yes.</summary>
public static class Ledger
{
    public static async Task<ReserveResult> ReserveAsync(this IAlbaHost host, Guid org, int amount, string reference)
    {
        using var scope = host.Services.CreateScope();
        await using var session = host.Services.GetRequiredService<IDocumentStore>().SessionFor(org);
        // Wolverine's outbox for code outside a handler: the timeout message commits with the reservation.
        var outbox = scope.ServiceProvider.GetRequiredService<IMartenOutbox>();
        outbox.Enroll(session);
        var result = await host.Services.GetRequiredService<CreditLedger>().ReserveAsync(session, outbox, org, amount, reference, default);
        await session.SaveChangesAsync();
        return result;
    }

    public static Task<ReserveResult> CaptureAsync(this IAlbaHost host, Guid org, Guid reservation, int amount) =>
        WithSession(host, org, (ledger, s) => ledger.CaptureAsync(s, org, reservation, amount, default));

    public static Task<ReserveResult> ReleaseAsync(this IAlbaHost host, Guid org, Guid reservation,
        CreditReason reason = CreditReason.CanceledBeforeStart) =>
        WithSession(host, org, (ledger, s) => ledger.ReleaseAsync(s, org, reservation, reason, default));

    public static Task<LedgerRejection?> RefundAsync(this IAlbaHost host, Guid org, Guid reservation, CreditReason reason = CreditReason.InternalError) =>
        WithSession(host, org, (ledger, s) => ledger.RefundAsync(s, org, reservation, reason, default));

    public static Task<LedgerRejection?> GrantAsync(this IAlbaHost host, Guid org, int amount, string reference, BucketKind kind = BucketKind.Bonus) =>
        WithSession(host, org, (ledger, s) => ledger.GrantAsync(s, org, kind, amount, null, "test grant", reference, default));

    public static Task<LedgerRejection?> PurchaseAsync(this IAlbaHost host, Guid org, Guid purchase, int amount) =>
        WithSession(host, org, (ledger, s) => ledger.PurchaseAsync(s, org, purchase, "test-pack", amount, default));

    public static async Task<CreditAccount> AccountAsync(this IAlbaHost host, Guid org)
    {
        await using var session = host.Services.GetRequiredService<IDocumentStore>().QueryFor(org);
        return (await host.Services.GetRequiredService<CreditLedger>().ReadAsync(session, org, default))!;
    }

    private static async Task<T> WithSession<T>(IAlbaHost host, Guid org, Func<CreditLedger, IDocumentSession, Task<T>> act)
    {
        await using var session = host.Services.GetRequiredService<IDocumentStore>().SessionFor(org);
        var result = await act(host.Services.GetRequiredService<CreditLedger>(), session);
        await session.SaveChangesAsync();
        return result;
    }
}
