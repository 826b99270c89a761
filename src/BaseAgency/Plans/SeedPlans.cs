using Marten;
using Marten.Schema;

namespace BaseAgency.Plans;

/// <summary>
/// The seed document's plans and pricing rows (PARTE 3). Missing rows are inserted at start-up;
/// rows an operator has changed are left as they are.
/// </summary>
public sealed class SeedPlans : IInitialData
{
    public static readonly IReadOnlyList<Plan> Plans =
    [
        new("free", PlanSlug.Free, "Free", 0, 0, 50,
            new(50, 0, 0, "512x512", 0, 1, 2, 0.5m, 5, 100, false, MaxRunningJobs: 1),
            new(true, false, false, true, false, false)),
        new("starter", PlanSlug.Starter, "Starter", 4900, 47000, 500,
            new(500, 20, 30, "1024x1024", 5, 3, 10, 5, 20, 5000, false, MaxRunningJobs: 2),
            new(true, true, true, true, true, false)),
        new("professional", PlanSlug.Professional, "Professional", 9900, 95000, 2000,
            new(2000, 100, 120, "2048x2048", 10, 10, 50, 25, 60, 20000, true, MaxRunningJobs: 5),
            new(true, true, true, true, true, true, Webhooks: true)),
        new("business", PlanSlug.Business, "Business", 24900, 239000, 10000,
            new(10000, 500, 500, "4096x4096", 30, 50, 200, 100, 120, 100000, true, CustomModels: true, MaxRunningJobs: 10),
            new(true, true, true, true, true, true, Webhooks: true, Sso: true)),
        new("enterprise", PlanSlug.Enterprise, "Enterprise", 0, 0, 0,
            new(-1, -1, -1, "unlimited", -1, -1, -1, -1, -1, -1, true, CustomModels: true, WhiteLabel: true, DedicatedSupport: true),
            new(true, true, true, true, true, true, Webhooks: true, Sso: true)),
    ];

    public static readonly IReadOnlyList<PriceRow> Prices =
    [
        Row("freepik", "mystic", 1, 0.02m, PriceUnit.Image, (512, 1), (1024, 2), (2048, 4)),
        Row("replicate", "flux-schnell", 1, 0.003m, PriceUnit.Image, (512, 1), (1024, 1), (2048, 2)),
        Row("replicate", "flux-pro", 3, 0.055m, PriceUnit.Image, (512, 1), (1024, 1), (2048, 2)),
        Row("replicate", "sdxl", 1, 0.004m, PriceUnit.Image),
        Row("replicate", "kling-1.5", 10, 0.10m, PriceUnit.Second),
        Row("replicate", "minimax", 15, 0.15m, PriceUnit.Second),
        Row("openai", "dall-e-3", 4, 0.04m, PriceUnit.Image, (1024, 1), (1792, 2)),
        Row("openai", "dall-e-3-hd", 8, 0.08m, PriceUnit.Image, (1024, 1), (1792, 2)),
        Row("elevenlabs", "eleven_multilingual_v2", 1, 0.30m, PriceUnit.Minute),
        // Added for OpenAI speech and text (the seed prices none): per minute of speech, per 1k tokens.
        Row("openai", "tts-1", 1, 0.015m, PriceUnit.Minute),
        Row("openai", "gpt-4o-mini", 1, 0.0006m, PriceUnit.Tokens1k),
        // The built-in offline provider: costs us nothing, priced like the cheapest real models.
        Row("local", "local-image", 1, 0, PriceUnit.Image, (512, 1), (1024, 1), (2048, 2), (4096, 4)),
        Row("local", "local-audio", 1, 0, PriceUnit.Minute),
        Row("local", "local-text", 1, 0, PriceUnit.Tokens1k),
    ];

    public async Task Populate(IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        await InsertMissing(session, Plans, p => p.Id, ct);
        await InsertMissing(session, Prices, p => p.Id, ct);
        AddRunningJobCaps(session);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Plans stored before the running-job cap existed read as unlimited: they get the seed's cap, once, and only where the
    /// field is absent, so an operator's own value is never overwritten.
    /// </summary>
    private static void AddRunningJobCaps(IDocumentSession session)
    {
        var table = session.DocumentStore.Options.FindOrResolveDocumentType(typeof(Plan)).TableName.QualifiedName;
        foreach (var plan in Plans)
            session.QueueSqlCommand(
                $"update {table} set data = jsonb_set(data, '{{limits,maxRunningJobs}}', to_jsonb(?::int)) " +
                "where id = ? and not jsonb_exists(data->'limits', 'maxRunningJobs')",
                plan.Limits.MaxRunningJobs, plan.Id);
    }

    private static async Task InsertMissing<T>(IDocumentSession session, IReadOnlyList<T> rows, Func<T, string> id, CancellationToken ct)
        where T : notnull
    {
        var existing = (await session.LoadManyAsync<T>(ct, rows.Select(id).ToArray())).Select(id).ToHashSet();
        foreach (var row in rows.Where(r => !existing.Contains(id(r)))) session.Insert(row);
    }

    private static PriceRow Row(string provider, string model, decimal credits, decimal usd, PriceUnit unit,
        params (int Side, decimal Multiplier)[] multipliers) =>
        new(PriceRow.IdOf(provider, model), provider, model, "generate", credits, usd, unit,
            multipliers.ToDictionary(m => m.Side, m => m.Multiplier));
}
