namespace Traceability.Lookup.Api.Provenance;

/// <summary>
/// A projection and the instant it stops holding (null: nothing time-dependent ahead); View null: unknown code.
/// <paramref name="JsonBytes"/>: the size of its JSON in UTF-8 bytes (the memory cache's byte budget counts by it).
/// </summary>
public readonly record struct Projection(ProvenanceView? View, DateTimeOffset? ValidUntil, int JsonBytes);

/// <summary>
/// The lookup read model (issue 22): a stored per-lot (and per-product) provenance projection, so a
/// lookup the memory cache misses is one indexed read (<see cref="ILookupViewStore"/>) instead of
/// ProvenanceBuilder's dozen queries. A missing row is built, answered at once and stored
/// write-behind by <see cref="LookupProjector"/>, which also keeps rows of changed lots built.
/// Freshness: the change feed's append deletes the rows it names (same store write); until that append,
/// this host treats the keys as unpublished (<see cref="ChangeFeedPublisher.ChangedSince"/>); a build
/// notes the feed's newest sequence first and the store refuses it if a newer change names its key.
/// Off (every miss built) when the store has no read model or no change feed.
/// </summary>
public sealed class LookupReadModel
{
    /// <summary>
    /// A row is rebuilt at least this often, whatever it holds: the bound for what no writer announces
    /// (a location registered after events named it, another product's name in a transformation link).
    /// </summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);
    private const int QueueCapacity = 10_000;

    private readonly ProvenanceBuilder _builder;
    private readonly ChangeFeedPublisher _publisher;
    private readonly TimeProvider _time;
    private readonly LookupTelemetry _telemetry;
    private readonly ILookupViewStore? _views;
    private readonly IChangeFeedStore? _feed;
    // Lookups' builds waiting to be stored; when full, a build is simply not stored (the sweep finds the lot).
    private readonly Channel<Built> _toStore = Channel.CreateBounded<Built>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public LookupReadModel(ProvenanceBuilder builder, ChangeFeedPublisher publisher, IServiceProvider services, TimeProvider time, LookupTelemetry telemetry)
    {
        (_builder, _publisher, _time, _telemetry) = (builder, publisher, time, telemetry);
        _feed = services.GetService<IChangeFeedStore>();
        _views = _feed is null ? null : services.GetService<ILookupViewStore>();
    }

    public bool Enabled => _views is not null;

    internal ILookupViewStore Views => _views ?? throw new InvalidOperationException("The store has no lookup read model.");

    internal ChannelReader<Built> ToStore => _toStore.Reader;

    /// <summary>How many writes this host has announced (ChangeFeedPublisher.Changed): the projector yields while it rises.</summary>
    internal long LocalWrites => _publisher.LocalSequence;

    // Wakes the projector: a build was queued or a change observed.
    private readonly SemaphoreSlim _work = new(0, 1);

    internal void Signal()
    {
        try
        {
            if (_work.CurrentCount == 0) _work.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    internal Task<bool> WaitForWorkAsync(TimeSpan timeout, CancellationToken ct) => _work.WaitAsync(timeout, ct);

    public static string Key(string gtin14, string? lot) => lot is null ? ChangeKeys.Product(gtin14) : LotKey.Of(gtin14, lot);

    /// <summary>The stored projection when it is current, else a fresh build (queued to be stored).</summary>
    public async Task<Projection> GetAsync(string gtin14, string? lot, CancellationToken ct)
    {
        if (_views is null) return Project(await _builder.BuildAsync(gtin14, lot, ct), _time.GetUtcNow()).Projection;
        var key = Key(gtin14, lot);
        // A change told here but not yet in the feed may not have deleted the row yet: build instead.
        if (!_publisher.ChangedSince(key, gtin14, 0) && await _views.GetLookupViewAsync(key, ct) is { } row && IsCurrent(row, _time.GetUtcNow())
            && TryDeserialize(row.Json) is { } stored)
        {
            _telemetry.ViewReads.Add(1, LookupTelemetry.Tag("outcome", "hit"));
            return new Projection(stored, row.ValidUntil, Encoding.UTF8.GetByteCount(row.Json));
        }
        _telemetry.ViewReads.Add(1, LookupTelemetry.Tag("outcome", "miss"));
        var built = await BuildAsync(gtin14, lot, ct);
        // Unknown codes are not stored: anyone can make up codes.
        if (built.Row is not null && _toStore.Writer.TryWrite(built)) Signal();
        return built.Projection;
    }

    /// <summary>Builds the projection with what a guarded store needs: this host's and the feed's positions before reading.</summary>
    internal async Task<Built> BuildAsync(string gtin14, string? lot, CancellationToken ct)
    {
        var local = _publisher.LocalSequence;
        var builtAt = _feed is null ? 0 : await _feed.LatestChangeAsync(ct);
        var (projection, json) = Project(await _builder.BuildAsync(gtin14, lot, ct), _time.GetUtcNow());
        var row = json is null ? null
            : new LookupView(Key(gtin14, lot), gtin14, lot, ProvenanceView.ProjectionVersion, json, projection.ValidUntil, builtAt);
        return new Built(projection, row, local);
    }

    /// <summary>Stores the builds that nothing changed under since they started (here; the store checks the feed).</summary>
    internal async Task<int> StoreAsync(IReadOnlyCollection<Built> builds, CancellationToken ct)
    {
        var rows = builds.Where(b => b.Row is not null && !_publisher.ChangedSince(b.Row.Key, b.Row.Gtin, b.LocalSequence))
            .Select(b => b.Row!).ToList();
        var stored = await Views.PutLookupViewsAsync(rows, ct);
        _telemetry.ViewsStored.Add(stored);
        return stored;
    }

    /// <summary>Whether the key has a stored row that a lookup would answer from now.</summary>
    internal async Task<bool> HasCurrentAsync(string key, CancellationToken ct) =>
        await Views.GetLookupViewAsync(key, ct) is { } row && IsCurrent(row, _time.GetUtcNow());

    public static bool IsCurrent(LookupView row, DateTimeOffset now) =>
        row.Version == ProvenanceView.ProjectionVersion && (row.ValidUntil is not { } until || now < until);

    /// <summary>
    /// The first instant after <paramref name="now"/> at which the view could read differently without a
    /// write: the lot expires (status), a certificate becomes valid or lapses, or <see cref="MaxAge"/> is up.
    /// </summary>
    public static DateTimeOffset ValidUntil(ProvenanceView view, DateTimeOffset now)
    {
        var until = now + MaxAge;
        void Consider(DateTimeOffset at)
        {
            if (at > now && at < until) until = at;
        }
        if (view.Lot?.ExpiryDate is { } expiry) Consider(ExpiryStatusSource.ExpiresAt(expiry));
        foreach (var c in view.Product.Certificates)
        {
            if (c.ValidFrom is { } from) Consider(Traceability.Domain.VietnamTime.StartOf(from));
            if (c.ValidTo is { } to) Consider(Traceability.Domain.VietnamTime.StartOf(to.AddDays(1)));
        }
        return until;
    }

    public static string Serialize(ProvenanceView view) => JsonSerializer.Serialize(view, Resolver.Responses.Json);

    /// <summary>The stored view, or null when the row cannot be read (then it is rebuilt, never a 500).</summary>
    public static ProvenanceView? TryDeserialize(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ProvenanceView>(json, Resolver.Responses.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The projection with its JSON (serialised once: the row stores it, the cache counts its size).</summary>
    private static (Projection Projection, string? Json) Project(ProvenanceView? view, DateTimeOffset now)
    {
        if (view is null) return (new Projection(null, null, 0), null);
        var json = Serialize(view);
        return (new Projection(view, ValidUntil(view, now), Encoding.UTF8.GetByteCount(json)), json);
    }

    /// <summary>A build, the row to store (null for an unknown code) and this host's change count before it read.</summary>
    internal sealed record Built(Projection Projection, LookupView? Row, long LocalSequence);
}
