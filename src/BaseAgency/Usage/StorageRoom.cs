using BaseAgency.Plans;
using Marten;

namespace BaseAgency.Usage;

/// <summary>How much more an organization may store under its plan's max_storage_gb, from the bytes <see cref="UsageCounters"/> keeps.</summary>
public static class StorageRoom
{
    /// <summary>The plan's storage in bytes, or null when it has no limit.</summary>
    public static long? CapOf(PlanLimits limits) =>
        limits.MaxStorageGb == PlanLimits.Unlimited ? null : (long)(limits.MaxStorageGb * 1024 * 1024 * 1024);

    /// <summary>Bytes still free (never below 0), or null when the plan has no limit.</summary>
    public static long? Left(long? cap, long used) => cap is { } bytes ? Math.Max(0, bytes - used) : null;

    public static async Task<long?> LeftAsync(IQuerySession session, Guid organizationId, CancellationToken ct)
    {
        if (CapOf((await session.CurrentPlanAsync(organizationId, ct)).Plan.Limits) is not { } cap) return null;
        var used = await session.QueryAsync<long>(
            $"select coalesce(max(bytes), 0) from {session.DocumentStore.Options.DatabaseSchemaName}.{UsageCounters.StorageTableName} where organization_id = ?",
            ct, organizationId);
        return Left(cap, used.Single());
    }
}
