using BaseAgency.Billing;
using BaseAgency.Generations;
using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Ledger;
using BaseAgency.Organizations;
using BaseAgency.Plans;
using BaseAgency.Usage;
using JasperFx;
using Marten;
using Npgsql;
using JasperFx.MultiTenancy;
using Marten.Schema;
using Marten.Schema.Indexing.Unique;
using Marten.Storage;
using Weasel.Core;

namespace BaseAgency.Hosting;

/// <summary>How our documents and events are laid out in PostgreSQL.</summary>
public static class Persistence
{
    public const string Schema = "agency";

    public static StoreOptions ConfigureMarten(IServiceProvider services, IHostEnvironment env)
    {
        var opts = new StoreOptions { DatabaseSchemaName = Schema };
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);

        // Tenant isolation by construction: every document that belongs to an organization is stored
        // with that organization's id as its tenant, and a session opened for one organization can
        // neither read nor write another's rows.
        opts.Policies.ForAllDocuments(m =>
        {
            if (m.DocumentType.IsAssignableTo(typeof(IOrganizationOwned))) m.TenancyStyle = TenancyStyle.Conjoined;
        });
        opts.Events.TenancyStyle = TenancyStyle.Conjoined;

        // E-mail addresses are unique across the whole platform, whichever organization holds them.
        opts.Schema.For<User>().UniqueIndex(UniqueIndexType.Computed, "ux_user_email", TenancyScope.Global, x => x.Email);
        opts.Schema.For<Organization>().UniqueIndex(UniqueIndexType.Computed, "ux_organization_slug", TenancyScope.Global, x => x.Slug);
        opts.Schema.For<LoginThrottle>();
        // Two refreshes racing with one token: the second save fails and counts as reuse.
        opts.Schema.For<RefreshToken>().Index(x => x.FamilyId).Index(x => x.UserId).UseOptimisticConcurrency(true);
        // Keys are found by prefix before anyone knows their organization: prefixes are unique across all of them.
        opts.Schema.For<ApiKey>().UniqueIndex(UniqueIndexType.Computed, "ux_api_key_prefix", TenancyScope.Global, x => x.Prefix)
            .Index(x => x.PreviousPrefix).UseOptimisticConcurrency(true);
        opts.Schema.For<Invitation>().Index(x => x.Email);
        opts.Schema.For<Plan>();
        opts.Schema.For<PriceRow>();
        opts.Schema.For<PeriodUsage>();
        // The log is read newest first by organization, and purged by age.
        opts.Schema.For<BaseAgency.Platform.AuditEntry>().Index(x => x.OrganizationId).Index(x => x.At);
        opts.Schema.For<BaseAgency.Events.OrganizationEvent>().Index(x => x.At);
        opts.Listeners.Add(new ForgetPlanWhenSubscriptionChanges(services.GetRequiredService<ZiggyCreatures.Caching.Fusion.IFusionCache>()));
        opts.Listeners.Add(new BaseAgency.Platform.PlanChangeAudit(services.GetRequiredService<TimeProvider>()));

        opts.ConfigureLedger();
        opts.ConfigureBilling();
        opts.ConfigureSubscriptionBilling();
        opts.ConfigureGeneration();
        opts.ConfigureIdempotency();
        opts.ConfigureUsage();
        opts.Schema.For<BaseAgency.Providers.Keys.ProviderKey>();
        BaseAgency.Events.EventFeed.ConfigureEventFeed(opts);
        BaseAgency.Webhooks.WebhookSetup.ConfigureWebhooks(opts);

        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        return opts;
    }
}
