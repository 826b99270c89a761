namespace BaseAgency.Plans;

public enum PriceUnit { Image, Second, Minute, Tokens1k }

/// <summary>
/// What one unit of a provider's model costs us (USD) and the customer (credits). Resolution
/// multipliers are keyed by the longest side in pixels, e.g. {512: 1, 1024: 2, 2048: 4}.
/// </summary>
public sealed record PriceRow(
    string Id,
    string Provider,
    string Model,
    string Operation,
    decimal CreditsPerUnit,
    decimal CostUsdPerUnit,
    PriceUnit Unit,
    Dictionary<int, decimal> ResolutionMultipliers,
    bool IsActive = true)
{
    public static string IdOf(string provider, string model, string operation = "generate") => $"{provider}:{model}:{operation}";
}
