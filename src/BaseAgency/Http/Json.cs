using System.Text.Json;
using System.Text.Json.Serialization;

namespace BaseAgency.Http;

/// <summary>How the API writes JSON: camelCase names, snake_case enum values, no nulls.</summary>
public static class Json
{
    public static readonly JsonNamingPolicy EnumNaming = JsonNamingPolicy.SnakeCaseLower;

    /// <summary>An enum value as clients see it ("past_due").</summary>
    public static string NameOf<T>(T value) where T : struct, Enum => EnumNaming.ConvertName(value.ToString());

    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(EnumNaming));
    }
}
