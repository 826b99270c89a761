using Npgsql;

namespace BaseAgency.Tests.Events;

/// <summary>The order the database gave an organization's events (what every stream must follow), read directly.</summary>
public static class Feed
{
    public static async Task<List<string>> IdsInCommitOrderAsync(string connectionString, Guid organizationId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select event_id from agency.event_feed where organization_id = $1 order by seq", connection);
        command.Parameters.Add(new() { Value = organizationId });
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0).ToString());
        return ids;
    }
}
