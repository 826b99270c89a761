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
        options.Converters.Add(new StringsWithoutNul());
        options.Converters.Add(new StringListsWithoutNull());
    }

    /// <summary>
    /// Reads strings that hold no NUL character (PostgreSQL cannot store one in text or jsonb): a body with one is
    /// malformed JSON (400), for every field of every request at once, instead of a failure at the database.
    /// </summary>
    private sealed class StringsWithoutNul : JsonConverter<string>
    {
        public override bool HandleNull => false;

        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String) throw new JsonException($"Expected a string, not {reader.TokenType}.");
            var value = reader.GetString()!;
            return value.Contains('\0') ? throw new JsonException("Strings may not contain a NUL character.") : value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    /// <summary>
    /// Reads lists of strings (tags, models, event names) without a null item: <c>["a", null]</c> is malformed JSON (400) for
    /// every such field at once, instead of a null that a handler would trip over.
    /// </summary>
    private sealed class StringListsWithoutNull : JsonConverter<IReadOnlyList<string>>
    {
        public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException($"Expected a list, not {reader.TokenType}.");
            var items = new List<string>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                items.Add(reader.TokenType == JsonTokenType.Null
                    ? throw new JsonException("Lists may not contain null.")
                    : JsonSerializer.Deserialize<string>(ref reader, options)!);
            return items;
        }

        public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var item in value) writer.WriteStringValue(item);
            writer.WriteEndArray();
        }
    }
}
