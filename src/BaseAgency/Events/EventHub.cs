using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using BaseAgency.Organizations;
using Marten;
using Npgsql;

namespace BaseAgency.Events;

/// <summary>An event as the live stream sends it: <see cref="Json"/> is <c>{id,type,at,data}</c>; stored events have a sequence and an id.</summary>
public sealed record LiveEvent(long? Sequence, Guid? Id, string Type, string Json);

/// <summary>
/// The node's one ear on the organizations' events: a single LISTEN connection, and for each announced event one read of
/// the feed per node (however many clients watch), fanned out in memory to the organization's subscribers on this node.
/// Announcements of organizations nobody here watches cost nothing. Each organization watched here remembers the last
/// sequence it delivered, so a read takes everything after it: an announcement lost while the connection was down is
/// caught up after reconnecting, and several announcements arriving during one read cost one more read, not one each.
/// A subscriber whose buffer is full is dropped (its stream ends; the client resumes with Last-Event-ID).
/// </summary>
public sealed class EventHub(NpgsqlDataSource database, IDocumentStore store, ILogger<EventHub> log)
    : NotifyListener(database, log, OrganizationEvents.Channel, OrganizationEvents.LiveChannel)
{
    /// <summary>Events held for one subscriber that has not taken them; one more and it is dropped.</summary>
    public const int SubscriberBuffer = 256;
    private const int ReadBatch = 500;

    private readonly ConcurrentDictionary<Guid, Audience> _audiences = new();
    private readonly Channel<(Guid Organization, LiveEvent? Live)> _announced = Channel.CreateUnbounded<(Guid, LiveEvent?)>();
    private readonly string _feed = $"{store.Options.DatabaseSchemaName}.{EventFeed.TableName}";
    private readonly string _events = store.Options.FindOrResolveDocumentType(typeof(OrganizationEvent)).TableName.QualifiedName;
    private long _reads;

    /// <summary>Reads of the feed made for announcements (tests count them: one per event per node, never per subscriber).</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Starts hearing the organization's events committed from now on; dispose to stop.</summary>
    public async Task<Subscription> SubscribeAsync(Guid organizationId, CancellationToken ct)
    {
        while (true)
        {
            var audience = _audiences.GetOrAdd(organizationId, _ => new Audience());
            try
            {
                if (await JoinAsync(organizationId, audience, ct) is { } subscription) return subscription;
            }
            catch
            {
                Leave(organizationId, audience, null); // an audience nobody joined would be read for forever
                throw;
            }
        }
    }

    /// <summary>A subscription in the audience, or null when its last subscriber left meanwhile (a new one is needed).</summary>
    private async Task<Subscription?> JoinAsync(Guid organizationId, Audience audience, CancellationToken ct)
    {
        await audience.Reading.WaitAsync(ct);
        try
        {
            audience.Last ??= await LastSequenceAsync(organizationId, ct);
            var subscription = new Subscription(this, organizationId, audience);
            lock (audience)
            {
                if (audience.Retired) return null;
                audience.Subscribers.Add(subscription);
            }
            return subscription;
        }
        finally
        {
            audience.Reading.Release();
        }
    }

    /// <summary>The feed's position of one of the organization's events, or null when it is unknown (another's, or deleted).</summary>
    public async Task<long?> SequenceOfAsync(Guid organizationId, Guid eventId, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"select seq from {_feed} where event_id = $1 and organization_id = $2");
        command.Parameters.Add(new() { Value = eventId });
        command.Parameters.Add(new() { Value = organizationId });
        return await command.ExecuteScalarAsync(ct) as long?;
    }

    /// <summary>The organization's events after <paramref name="after"/> in commit order, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<LiveEvent>> ReadAfterAsync(Guid organizationId, long after, int limit, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            $"select f.seq, f.event_id, e.data ->> 'type', " +
            $"jsonb_build_object('id', e.data -> 'id', 'type', e.data -> 'type', 'at', e.data -> 'at', 'data', e.data -> 'data')::text " +
            $"from {_feed} f join {_events} e on e.tenant_id = $1 and e.id = f.event_id " +
            $"where f.organization_id = $2 and f.seq > $3 order by f.seq limit $4");
        command.Parameters.Add(new() { Value = Tenancy.TenantOf(organizationId) });
        command.Parameters.Add(new() { Value = organizationId });
        command.Parameters.Add(new() { Value = after });
        command.Parameters.Add(new() { Value = limit });
        var events = new List<LiveEvent>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            events.Add(new LiveEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3)));
        return events;
    }

    /// <summary>
    /// Announces an event that is not stored (a running job's progress) to every node's subscribers of the organization,
    /// at once rather than on a commit.
    /// </summary>
    public async Task PublishLiveAsync(Guid organizationId, string type, object data, DateTimeOffset at, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(new { type, at, data = OrganizationEvents.ToJson(data) });
        await using var command = database.CreateCommand("select pg_notify($1, $2)");
        command.Parameters.Add(new() { Value = OrganizationEvents.LiveChannel });
        command.Parameters.Add(new() { Value = $"{organizationId}:{json}" });
        await command.ExecuteNonQueryAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var delivering = DeliverAsync(stopping);
        await base.ExecuteAsync(stopping);
        await delivering;
    }

    // What was announced while no one listened is read from the feed.
    protected override Task CatchUpAsync(CancellationToken ct)
    {
        foreach (var organization in _audiences.Keys) _announced.Writer.TryWrite((organization, null));
        return Task.CompletedTask;
    }

    // Runs on the listening connection's read loop: no database work here, only a hand-over in arrival (commit) order.
    protected override void Heard(string channel, string payload)
    {
        var colon = payload.IndexOf(':');
        if (colon < 0 || !Guid.TryParse(payload.AsSpan(0, colon), out var organization) || !_audiences.TryGetValue(organization, out var audience)) return;
        if (channel == OrganizationEvents.LiveChannel)
        {
            var json = payload[(colon + 1)..];
            using var document = JsonDocument.Parse(json);
            _announced.Writer.TryWrite((organization, new LiveEvent(null, null, document.RootElement.GetProperty("type").GetString()!, json)));
        }
        else if (Interlocked.Exchange(ref audience.Behind, 1) == 0)
        {
            _announced.Writer.TryWrite((organization, null));
        }
    }

    private async Task DeliverAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var (organization, live) in _announced.Reader.ReadAllAsync(stopping))
            {
                if (!_audiences.TryGetValue(organization, out var audience)) continue;
                if (live is not null) audience.Deliver(live);
                else await CatchUpAsync(organization, audience, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task CatchUpAsync(Guid organization, Audience audience, CancellationToken stopping)
    {
        await audience.Reading.WaitAsync(stopping);
        try
        {
            Interlocked.Exchange(ref audience.Behind, 0); // announcements from here on ask for another read
            IReadOnlyList<LiveEvent> batch;
            do
            {
                Interlocked.Increment(ref _reads);
                batch = await ReadAfterAsync(organization, audience.Last ?? 0, ReadBatch, stopping);
                foreach (var e in batch)
                {
                    audience.Deliver(e);
                    audience.Last = e.Sequence;
                }
            } while (batch.Count == ReadBatch);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            log.LogWarning(e, "The event hub could not read the events of {OrganizationId}; trying again in a second", organization);
            _ = RetryLaterAsync(organization, stopping);
        }
        finally
        {
            audience.Reading.Release();
        }
    }

    private async Task RetryLaterAsync(Guid organization, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), stopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        _announced.Writer.TryWrite((organization, null));
    }

    private async Task<long> LastSequenceAsync(Guid organizationId, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"select coalesce(max(seq), 0) from {_feed} where organization_id = $1");
        command.Parameters.Add(new() { Value = organizationId });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private void Leave(Guid organizationId, Audience audience, Subscription? subscription)
    {
        lock (audience)
        {
            if (subscription is not null && !audience.Subscribers.Remove(subscription) || audience.Subscribers.Count > 0) return;
            audience.Retired = true;
            _audiences.TryRemove(new KeyValuePair<Guid, Audience>(organizationId, audience));
        }
    }

    /// <summary>An organization's subscribers on this node and how far its events have been delivered to them.</summary>
    internal sealed class Audience
    {
        public readonly HashSet<Subscription> Subscribers = [];
        public readonly SemaphoreSlim Reading = new(1, 1);
        public long? Last;
        public int Behind;
        public bool Retired;

        public void Deliver(LiveEvent e)
        {
            Subscription[] subscribers;
            lock (this) subscribers = [.. Subscribers];
            foreach (var subscriber in subscribers) subscriber.Offer(e);
        }
    }

    /// <summary>One client's feed of an organization's events.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly EventHub _hub;
        private readonly Guid _organizationId;
        private readonly Audience _audience;
        private readonly Channel<LiveEvent> _events =
            Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(SubscriberBuffer) { SingleReader = true });

        internal Subscription(EventHub hub, Guid organizationId, Audience audience) =>
            (_hub, _organizationId, _audience) = (hub, organizationId, audience);

        /// <summary>True once the hub dropped this subscriber for falling behind: its stream must end.</summary>
        public bool Dropped { get; private set; }

        /// <summary>The next event, or null when none came within <paramref name="idle"/> or the subscriber was dropped.</summary>
        public async ValueTask<LiveEvent?> NextAsync(TimeSpan idle, CancellationToken ct)
        {
            if (_events.Reader.TryRead(out var ready)) return ready;
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timer.CancelAfter(idle);
            try
            {
                if (!await _events.Reader.WaitToReadAsync(timer.Token)) return null;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return null;
            }
            return _events.Reader.TryRead(out var next) ? next : null;
        }

        internal void Offer(LiveEvent e)
        {
            if (_events.Writer.TryWrite(e)) return;
            Dropped = true;
            _events.Writer.TryComplete();
            Dispose();
        }

        public void Dispose() => _hub.Leave(_organizationId, _audience, this);
    }
}
