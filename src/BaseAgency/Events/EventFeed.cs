using Marten;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace BaseAgency.Events;

/// <summary>
/// The order in which an organization's events committed, which is the order every node hears of them and the order a
/// resumed stream replays them. An event's id (UUIDv7) is taken by the recorder's clock before its transaction commits,
/// and transactions commit out of order, so ids cannot say what a client has already seen. Each event is given its
/// sequence number under a per-organization lock held until its transaction ends: a later number always commits later,
/// so "every event after number n" read at any moment contains nothing the reader will see again and misses nothing
/// that has committed.
/// </summary>
public static class EventFeed
{
    public const string TableName = "event_feed";

    /// <summary>Advisory lock class (two-key space, apart from any single-key lock) of an organization's event order.</summary>
    private const int LockClass = 0x45564e54;

    public static Table Table(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName));
        table.AddColumn<long>("seq").AsPrimaryKey().BigAutoIncrement();
        table.AddColumn<Guid>("organization_id").NotNull();
        table.AddColumn<Guid>("event_id").NotNull();
        table.AddColumn<DateTimeOffset>("recorded_at").NotNull();
        table.Indexes.Add(new IndexDefinition($"ix_{TableName}_organization_seq") { Columns = ["organization_id", "seq"] });
        table.Indexes.Add(new IndexDefinition($"ix_{TableName}_event") { Columns = ["event_id"], IsUnique = true });
        table.Indexes.Add(new IndexDefinition($"ix_{TableName}_recorded_at") { Columns = ["recorded_at"] });
        return table;
    }

    public static void ConfigureEventFeed(this StoreOptions opts) =>
        opts.Storage.ExtendedSchemaObjects.Add(Table(opts.DatabaseSchemaName));

    /// <summary>
    /// Numbers the event as the last statement of its transaction (queued after its other changes, so the lock is held only
    /// for the commit). One insert…select that takes the lock first, since Marten's batch takes one statement at a time and a
    /// select's row would upset it (see <c>Notify</c>); the identity is drawn as the row is made, after the lock.
    /// </summary>
    public static void SequenceOnCommit(IDocumentSession session, Guid organizationId, Guid eventId, DateTimeOffset at) =>
        session.QueueSqlCommand(
            $"insert into {session.DocumentStore.Options.DatabaseSchemaName}.{TableName} (organization_id, event_id, recorded_at) " +
            $"select ?, ?, ? from (select pg_advisory_xact_lock({LockClass}, hashtext(?))) as locked",
            organizationId, eventId, at, organizationId.ToString());
}
