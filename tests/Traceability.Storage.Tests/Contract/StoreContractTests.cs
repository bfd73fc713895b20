using Traceability.Domain.Gs1;

namespace Traceability.Storage.Tests.Contract;

/// <summary>
/// Every behaviour the services rely on, for every store provider. A provider's test class derives
/// from this, builds a fresh empty store per test in <see cref="CreateStoreAsync"/> (using
/// <see cref="Clock"/> as its TimeProvider), and may set <see cref="SkipReason"/> when its server is
/// not available. The suite is split by feature into partial files, like the stores.
/// </summary>
public abstract partial class StoreContractTests : IAsyncDisposable
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly List<TraceStoreHandle> _opened = [];

    /// <summary>The store's clock: pass it to the provider so created/next-attempt times are known.</summary>
    protected FakeTimeProvider Clock { get; } = new(T0);

    /// <summary>When not null, every test is skipped with this reason (e.g. no server configured).</summary>
    protected virtual string? SkipReason => null;

    /// <summary>A new, empty store that uses <see cref="Clock"/> as its TimeProvider.</summary>
    protected abstract Task<TraceStoreHandle> CreateStoreAsync();

    /// <summary>
    /// An event the provider refuses while writing it, after the earlier events of the same batch
    /// were written. Default: its producer does not exist (a foreign key in SQLite). A provider
    /// without such a constraint overrides this with another way to fail mid-batch.
    /// </summary>
    protected virtual StoredEvent RejectedEvent(StoredEvent valid) => valid with { ProducerId = "no-such-producer" };

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Skips the test when the provider is unavailable, else opens a fresh store.</summary>
    protected async Task<TraceStoreHandle> OpenAsync()
    {
        if (SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }
        var store = await CreateStoreAsync();
        _opened.Add(store);
        return store;
    }

    /// <summary>A fresh store with producers p1 and p2 (and one product each).</summary>
    protected async Task<TraceStoreHandle> OpenSeededAsync()
    {
        var store = await OpenAsync();
        await store.Accounts.AddProducerAsync(NewProducer("p1", "0100000001"), NewKey("k-p1", Role.Producer, "p1"), Ct);
        await store.Accounts.AddProducerAsync(NewProducer("p2", "0100000002"), NewKey("k-p2", Role.Producer, "p2"), Ct);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>A valid GTIN-14 under Vietnam's 893 prefix: 0 893 45678 {n:D4} + check digit.</summary>
    protected static string Gtin(int n)
    {
        var body = $"089345678{n:D4}";
        return body + Gs1CheckDigit.Compute(body);
    }

    protected static Producer NewProducer(string id, string taxCode) => new(
        id, $"Hợp tác xã {id}", taxCode, "Thôn 1, xã Phù Lưu", "Tuyên Quang", null, ["89345678"], T0);

    protected static ApiKeyRecord NewKey(string keyId, Role role, string? producerId = null, string? inspectorId = null) =>
        new(keyId, [1, 2, 3], [4, 5, 6, 7], role, producerId, inspectorId, T0);

    protected static Product NewProduct(string gtin, string producerId = "p1") => new(
        gtin, producerId, new LocalizedText("Cam sành Hàm Yên", "Ham Yen king orange"), "Hàm Yên", null, "fruit",
        new LocalizedText("Cam sành đặc sản", null), ["VietGAP", "TCVN 12850:2019"], "kg", T0, T0)
    {
        Certificates =
        [
            new("VietGAP", "VG-TQ-0123", "Trung tâm Chứng nhận Phù hợp (QUACERT)", new DateOnly(2025, 1, 15), new DateOnly(2028, 1, 14)),
            new("OCOP 4 sao", null, null, null, null),
        ],
    };

    protected static Lot NewLot(string gtin, string lot, string producerId = "p1") => new(
        gtin, lot, producerId, new DateOnly(2026, 2, 20), new DateOnly(2026, 4, 20), 1250.5m, "kg", "farm-1", T0);

    protected static OutboxMessage ProductMessage(string gtin) => new(OutboxKind.Product, gtin, null, null, "00-trace-product-01");

    protected static OutboxMessage LotMessage(string gtin, string lot) =>
        new(OutboxKind.Lot, LotKey.Of(gtin, lot), OutboxKind.Product, gtin, null);

    protected static OutboxMessage EventMessage(string eventId, string lotKey) =>
        new(OutboxKind.Event, eventId, OutboxKind.Lot, lotKey, null);

    protected static StoredEvent NewEvent(string id, string producerId = "p1", params EventKey[] keys) => new(
        EventId: id, ProducerId: producerId, EventType: "ObjectEvent", EventTime: T0, RecordTime: T0,
        Action: "OBSERVE", BizStep: "shipping", Disposition: "in_transit", ReadPoint: null, BizLocation: null,
        Json: $$"""{"type":"ObjectEvent","eventID":"{{id}}"}""", Keys: keys, CaptureId: null);

    protected static CaptureJob NewJob(string captureId, string producerId = "p1") =>
        new(captureId, producerId, false, true, T0, T0, [], 0, 0);

    protected static Task<CaptureResult> CaptureAsync(TraceStoreHandle store, IReadOnlyList<StoredEvent> events,
        IReadOnlyList<OutboxMessage>? announce = null, string captureId = "c1") =>
        store.Events.CaptureAsync(NewJob(captureId), events, announce ?? [], Ct);
}
