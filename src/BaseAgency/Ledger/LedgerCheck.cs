namespace BaseAgency.Ledger;

/// <summary>Compares the stored balance view with a fresh replay of the events (and the statement).</summary>
public static class LedgerCheck
{
    /// <param name="statementTotal">The statement's amounts added up: must be the balance.</param>
    /// <param name="statementHeld">The statement's held column added up: must be what is reserved.</param>
    public static IReadOnlyList<string> Differences(CreditAccount? stored, CreditAccount? replayed, int statementTotal, int statementHeld)
    {
        if (stored is null && replayed is null) return [];
        if (stored is null || replayed is null) return [$"stored view {(stored is null ? "missing" : "present")}, replay {(replayed is null ? "empty" : "present")}"];

        var differences = new List<string>();
        void Check<T>(string what, T a, T b)
        {
            if (!EqualityComparer<T>.Default.Equals(a, b)) differences.Add($"{what}: stored {a}, replayed {b}");
        }
        Check("available", stored.Available, replayed.Available);
        Check("reserved", stored.Reserved, replayed.Reserved);
        Check("lifetimePurchased", stored.LifetimePurchased, replayed.LifetimePurchased);
        Check("lifetimeUsed", stored.LifetimeUsed, replayed.LifetimeUsed);
        Check("lifetimeBonus", stored.LifetimeBonus, replayed.LifetimeBonus);
        Check("periodUsed", stored.PeriodUsed, replayed.PeriodUsed);
        Check("buckets", Describe(stored.Buckets.Select(b => $"{b.Id}:{b.Kind}:{b.Remaining}")), Describe(replayed.Buckets.Select(b => $"{b.Id}:{b.Kind}:{b.Remaining}")));
        Check("reservations", Describe(stored.Reservations.Keys.Select(k => k.ToString())), Describe(replayed.Reservations.Keys.Select(k => k.ToString())));
        Check("statement total", statementTotal, replayed.Balance);
        Check("statement held", statementHeld, replayed.Reserved);
        return differences;
    }

    private static string Describe(IEnumerable<string> items) => string.Join(",", items.Order());
}
