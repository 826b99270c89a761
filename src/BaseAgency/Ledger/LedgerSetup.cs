using JasperFx.Events.Projections;
using Marten;
using Marten.Schema;
using Marten.Schema.Indexing.Unique;

namespace BaseAgency.Ledger;

public static class LedgerSetup
{
    public static void AddLedger(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<LedgerOptions>().Bind(config.GetSection("Ledger"));
        services.AddSingleton<CreditLedger>();
    }

    public static void ConfigureLedger(this StoreOptions opts)
    {
        opts.Events.AddEventTypes([
            typeof(CreditAccountOpened), typeof(CreditsGranted), typeof(CreditsPurchased), typeof(CreditsReserved),
            typeof(ReservationCaptured), typeof(ReservationReleased), typeof(CreditsRefunded), typeof(CreditsAdjusted),
            typeof(CreditsExpired), typeof(PeriodRenewed),
        ]);
        // The balance view is the aggregate itself, written in the same transaction as its events.
        opts.Projections.Snapshot<CreditAccount>(SnapshotLifecycle.Inline).MultiTenanted();

        opts.Schema.For<SpendCap>();
        opts.Schema.For<CreditTransaction>()
            .UniqueIndex(UniqueIndexType.Computed, "ux_credit_transaction_operation", TenancyScope.PerTenant, x => x.OperationKey)
            .Index(x => x.CreatedAt);
        opts.Schema.For<CreditReservation>().Index(x => x.Status);
    }
}
