using BaseAgency.Events;
using BaseAgency.Http;
using BaseAgency.Identity;
using BaseAgency.Ledger;
using BaseAgency.Plans;
using BaseAgency.Providers;
using BaseAgency.Providers.Keys;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace BaseAgency.Generations;

/// <summary>
/// Accepting a generation job, for the four generate handlers: load the facts, lock the organization's ledger,
/// check a <see cref="Quote"/> the order names, let <see cref="SubmissionRules"/> and, for a key, <see cref="ApiKeyLimitRules"/> decide, and only for a "yes" stage the credit reservation, the quota
/// count, the job and its queue message, which commit with the handler's transaction.
/// </summary>
public sealed class JobSubmission(CreditLedger ledger, IEnumerable<IGenerationProvider> providers, ProviderCredentials credentials,
    ProviderHealth health, IOptions<GenerationOptions> options, TimeProvider clock)
{
    private readonly Dictionary<string, IGenerationProvider> _providers = providers.ToDictionary(p => p.Name);

    public async Task<Outcome<Submitted>> SubmitAsync(IDocumentSession session, IMessageBus bus, JobOrder order, CancellationToken ct)
    {
        var (rows, candidates) = await LoadCatalogAsync(session, order, ct);
        var (subscription, plan) = await session.CurrentPlanAsync(order.OrganizationId, ct);
        var cap = await session.LoadAsync<SpendCap>(order.OrganizationId, ct);
        var quote = order.QuoteId is { } quoteId ? await session.LoadAsync<Quote>(quoteId, ct) : null;

        // Locked until the transaction commits: a repeated key, the quota count and the credits are read and
        // changed by one submission of this organization at a time. Only what submissions change is read
        // under the lock, so the lock is held for as few round trips as possible.
        var account = await ledger.LockAccountAsync(session, order.OrganizationId, ct);
        if (order.Idempotency is { } request &&
            await session.Query<GenerationJob>().FirstOrDefaultAsync(j => j.IdempotencyKey == request.Key, ct) is { } earlier)
            return SubmissionRules.Replay(earlier, request);
        var now = clock.GetUtcNow();
        if (order.QuoteId is { } asked &&
            QuoteRules.Refusal(quote, await session.Query<GenerationJob>().AnyAsync(j => j.QuoteId == asked, ct),
                QuoteRules.Fingerprint(order, options.Value), now) is { } notHonoured)
            return notHonoured;
        var used = await Entitlements.UsageAsync(session, subscription, ct);
        var facts = new SubmissionFacts(new Entitlements(plan, subscription, used), rows, candidates);
        var decision = SubmissionRules.Decide(order, facts, options.Value, Guid.CreateVersion7(now), now);
        if (decision.Problem is { } problem) return problem;

        var (job, usage, _) = decision.Value!;
        if (quote is not null)
        {
            if (QuoteRules.Moved(job, quote) is { } moved) return moved;
            job = QuoteRules.Honour(job, quote);
        }
        if (order.CancelAfter is { } cancelAfter) job = job with { DeadlineAt = now + cancelAfter };
        if (order.ApiKeyId is { } keyId && await session.LoadAsync<ApiKey>(keyId, ct) is { } key &&
            ApiKeyLimitRules.Refusal(key, job, await ApiKeyLimitRules.SpendAsync(session, key, now, ct)) is { } refused)
            return refused;
        if (cap?.Refusal(account.Account, job.CreditsReserved) is { } overCap) return Problems.From(overCap);
        var reserved = await ledger.ReserveAsync(session, bus, account, job.CreditsReserved, job.ReservationReference, ct,
            Deadlines.ReservationFor(order.CancelAfter, options.Value), job.UserId, job.ApiKeyId);
        if (reserved.Rejection is { } rejection) return Problems.From(rejection);
        if (usage is not null) session.Store(usage);
        session.Insert(job);
        OrganizationEvents.RecordLive(session, job.OrganizationId, EventTypes.JobUpdated, JobView.Of(job), now);
        await bus.EndpointFor(GenerationOptions.QueueFor(job.Type, job.Priority))
            .SendAsync(new RunGenerationJob(job.OrganizationId, job.Id), new DeliveryOptions { TenantId = session.TenantId });
        if (job.DeadlineAt is { } deadline)
            await bus.ScheduleAsync(new EnforceDeadline(job.OrganizationId, job.Id), deadline, new DeliveryOptions { TenantId = session.TenantId });
        return new Submitted(JobView.Of(job), Replayed: false);
    }

    /// <summary>
    /// What the order would cost if submitted now, refused as a submission would be (plan, model, size, provider,
    /// quota), as a quote valid for <see cref="GenerationOptions.QuoteLifetime"/>. Credits are not checked: a quote reserves nothing.
    /// </summary>
    public async Task<Outcome<Quote>> QuoteAsync(IQuerySession session, JobOrder order, CancellationToken ct)
    {
        var (rows, candidates) = await LoadCatalogAsync(session, order, ct);
        var (subscription, plan) = await session.CurrentPlanAsync(order.OrganizationId, ct);
        var used = await Entitlements.UsageAsync(session, subscription, ct);
        var facts = new SubmissionFacts(new Entitlements(plan, subscription, used), rows, candidates);
        var now = clock.GetUtcNow();
        var decision = SubmissionRules.Decide(order, facts, options.Value, Guid.CreateVersion7(now), now);
        if (decision.Problem is { } problem) return problem;
        var job = decision.Value!.Job;
        return QuoteRules.Of(order, decision.Value, rows[PriceRow.IdOf(job.Provider, job.Model)], options.Value, Guid.CreateVersion7(now), now,
            options.Value.QuoteLifetime);
    }

    /// <summary>
    /// The price rows of the asked model and its failover alternatives, and the state of their providers
    /// configured here: nothing another submission changes, so read before the lock.
    /// </summary>
    private async Task<(IReadOnlyDictionary<string, PriceRow> Rows, IReadOnlyDictionary<string, ProviderState> Providers)> LoadCatalogAsync(
        IQuerySession session, JobOrder order, CancellationToken ct)
    {
        var (provider, model) = SubmissionRules.Target(order, options.Value);
        if (model is null) return (new Dictionary<string, PriceRow>(), new Dictionary<string, ProviderState>());

        List<(string Provider, string Model)> targets = [(provider, model)];
        if (order.AllowFailover) targets.AddRange(SubmissionRules.Alternatives(provider, model, options.Value));
        var rows = await session.LoadManyAsync<PriceRow>(ct, targets.Select(t => PriceRow.IdOf(t.Provider, t.Model)).ToArray());

        var configured = targets.Select(t => t.Provider).Distinct().Where(_providers.ContainsKey).ToList();
        var needKeys = configured.Where(p => ProviderSetup.External.ContainsKey(p) && !credentials.PlatformHasKey(p)).ToArray();
        var ownKeys = needKeys.Length == 0 ? [] : (await session.LoadManyAsync<ProviderKey>(ct, needKeys)).Where(k => k.Valid).Select(k => k.Id).ToHashSet();
        return (rows.ToDictionary(r => r.Id), configured.ToDictionary(p => p, p => new ProviderState(
            HasKey: !needKeys.Contains(p) || ownKeys.Contains(p),
            IsDown: health.StatusOf(p) == ProviderHealthStatus.Down,
            Sizes: _providers[p] as ISnapsImageSize)));
    }
}
