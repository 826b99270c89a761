using BaseAgency.Providers;
using Marten;
using Marten.Schema;
using Marten.Schema.Indexing.Unique;
using Marten.Storage;
using Microsoft.AspNetCore.OpenApi;
using Wolverine;
using Wolverine.Configuration;

namespace BaseAgency.Generations;

public static class GenerationSetup
{
    public static void AddGeneration(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<GenerationOptions>().Bind(config.GetSection("Generation"))
            .Validate(o => o.MaxAttempts is >= 1 and <= 10, "Generation:MaxAttempts must be between 1 and 10.")
            .Validate(o => o.CancelAfterStartCharge is >= 0 and <= 1, "Generation:CancelAfterStartCharge must be between 0 and 1.")
            .Validate(o => o.QuoteLifetime > TimeSpan.Zero, "Generation:QuoteLifetime must be positive.")
            .ValidateOnStart();
        services.AddSingleton<JobSubmission>();
        services.ConfigureAll<OpenApiOptions>(o => o.AddOperationTransformer(Submitting.DescribeHeaders));
        services.AddSingleton<JobUpdates>();
        services.AddSingleton<CancelListener>();
        services.AddHostedService(sp => sp.GetRequiredService<CancelListener>());
    }

    /// <summary>
    /// One durable local queue per type, and a second for plans with priority, each with its own
    /// parallelism, so a burst of videos never holds up images and paying plans skip the line.
    /// </summary>
    public static void ConfigureGenerationQueues(this WolverineOptions opts, IConfiguration config)
    {
        var options = config.GetSection("Generation").Get<GenerationOptions>() ?? new GenerationOptions();
        foreach (var type in Enum.GetValues<GenerationType>())
        foreach (var priority in new[] { false, true })
        {
            var parallelism = options.Parallelism.GetValueOrDefault(type, 2);
            var name = GenerationOptions.QueueFor(type, priority);
            opts.LocalQueue(name).MaximumParallelMessages(parallelism).UseDurableInbox();
            // Wolverine 6.62 stores a message sent straight to a durable local queue (EndpointFor(...).SendAsync)
            // with the status 'Outgoing', which its inbox recovery never looks at: after a crash the job would
            // sit unprocessed. Routed sends mark such messages 'Incoming' and owned by this node; this does the same.
            opts.Transports.SelectMany(t => t.Endpoints()).Single(e => e.EndpointName == name).OutgoingRules.Add(new MarkIncoming(opts));
        }
    }

    public static void ConfigureGeneration(this StoreOptions opts)
    {
        opts.Schema.For<GenerationJob>()
            .UniqueIndex(UniqueIndexType.Computed, "ux_job_idempotency_key", TenancyScope.PerTenant, x => x.IdempotencyKey!)
            .UniqueIndex(UniqueIndexType.Computed, "ux_job_quote", TenancyScope.PerTenant, x => x.QuoteId!)
            .Index(x => x.Status).Index(x => x.CreatedAt).Index(x => x.ApiKeyId);
        opts.Schema.For<Generation>().Index(x => x.CreatedAt).Index(x => x.Type);
        opts.Schema.For<Quote>();
    }
}

/// <summary>What a routed send stamps on a message for a local durable queue: incoming, owned by this node.</summary>
internal sealed class MarkIncoming(WolverineOptions options) : IEnvelopeRule
{
    public void Modify(Envelope envelope)
    {
        envelope.Status = EnvelopeStatus.Incoming;
        // Owned by this node while it runs (owner 0 would let the recovery sweep hand it to a second worker);
        // released to any node when this one stops or dies.
        envelope.OwnerId = options.Durability.AssignedNodeNumber;
    }
}
