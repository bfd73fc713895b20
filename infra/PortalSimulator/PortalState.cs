using System.Runtime.InteropServices;

namespace Traceability.PortalSimulator;

/// <summary>What an attempt to store an entity came to.</summary>
internal abstract record StoreResult
{
    public sealed record Stored(string Id) : StoreResult;
    public sealed record Duplicate(string ExistingId) : StoreResult;
    public sealed record Invalid(PortalErrorBody Error) : StoreResult;
}

/// <summary>
/// The portal's data, in memory. One lock guards every write: check-then-insert on a natural key
/// must be atomic or two concurrent pushes of one entity would both be stored.
/// </summary>
public sealed class PortalState(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _productByBarcode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _lotByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _eventByCode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _recallByKey = new(StringComparer.Ordinal);
    private readonly HashSet<string> _productIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _lotIds = new(StringComparer.Ordinal);
    private readonly List<ReceivedEntity> _received = [];
    // What the log holds, kept as entries enter it (Stats is polled while pushes arrive, and must
    // not scan the log under the lock they wait for). A set of its own, not the key indexes, so a
    // bug that bypassed the natural-key check would still show as a duplicate stored.
    private readonly HashSet<(string Kind, string NaturalKey)> _logged = [];
    private readonly Dictionary<string, int> _loggedByKind = new(StringComparer.Ordinal);
    private long _duplicatesStored;
    private long _corrections;
    private readonly Dictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private long _requests, _faults, _duplicatesRejected;

    public void CountRequest() => Interlocked.Increment(ref _requests);
    public void CountFault() => Interlocked.Increment(ref _faults);

    public string IssueToken(TimeSpan lifetime)
    {
        var token = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        lock (_gate)
            _tokens[token] = time.GetUtcNow() + lifetime;
        return token;
    }

    /// <summary>False when the token is unknown or expired (the portal answers 401 either way).</summary>
    public bool IsTokenValid(string token)
    {
        lock (_gate)
            return _tokens.TryGetValue(token, out var until) && time.GetUtcNow() < until;
    }

    internal StoreResult AddProduct(ProductRequest p)
    {
        lock (_gate)
            return Add("product", _productByBarcode, p.MaBarcode!.PadLeft(14, '0'), "SP", null, p, id => _productIds.Add(id));
    }

    internal StoreResult AddLot(LotRequest l)
    {
        lock (_gate)
        {
            if (!_productIds.Contains(l.IdSanPham!))
                return new StoreResult.Invalid(PortalValidation.Error("SAN_PHAM_KHONG_TON_TAI", $"Không có sản phẩm {l.IdSanPham}."));
            return Add("lot", _lotByKey, $"{l.IdSanPham}|{l.SoLo}", "LH", l.IdSanPham, l, id => _lotIds.Add(id));
        }
    }

    internal StoreResult AddEvent(EventRequest e)
    {
        lock (_gate)
        {
            if (!_lotIds.Contains(e.IdLoHang!))
                return new StoreResult.Invalid(PortalValidation.Error("LO_HANG_KHONG_TON_TAI", $"Không có lô hàng {e.IdLoHang}."));
            if (e.DinhChinh is not null && _eventByCode.TryGetValue(e.MaSuKien!, out var existing) && Correct(existing, e))
                return new StoreResult.Stored(existing);
            return Add("event", _eventByCode, e.MaSuKien!, "SK", e.IdLoHang, e, null);
        }
    }

    /// <summary>
    /// A stored event pushed again with a correction (dinhChinh) that it does not carry yet: the
    /// portal keeps the latest body under the same id and counts the correction. The same body again
    /// is a duplicate (409), as for any entity. Caller holds _gate.
    /// </summary>
    private bool Correct(string id, EventRequest e)
    {
        var index = _received.FindIndex(r => r.Kind == "event" && r.Id == id);
        if (index < 0) return false;
        var body = System.Text.Json.JsonSerializer.Serialize(e);
        if (_received[index].Body is EventRequest old && System.Text.Json.JsonSerializer.Serialize(old) == body) return false;
        _received[index] = _received[index] with { Body = e, ReceivedAt = time.GetUtcNow(), Corrections = _received[index].Corrections + 1 };
        _corrections++;
        return true;
    }

    /// <summary>A recall's natural key: the lot and the recall date (one recall of a lot per day).</summary>
    internal StoreResult AddRecall(RecallRequest r)
    {
        lock (_gate)
        {
            if (!_lotIds.Contains(r.IdLoHang!))
                return new StoreResult.Invalid(PortalValidation.Error("LO_HANG_KHONG_TON_TAI", $"Không có lô hàng {r.IdLoHang}."));
            return Add("recall", _recallByKey, $"{r.IdLoHang}|{r.NgayThuHoi}", "TH", r.IdLoHang, r, null);
        }
    }

    // Caller holds _gate.
    private StoreResult Add(string kind, Dictionary<string, string> byKey, string key, string idPrefix,
        string? parentId, object body, Action<string>? index)
    {
        if (byKey.TryGetValue(key, out var existing))
        {
            Interlocked.Increment(ref _duplicatesRejected);
            return new StoreResult.Duplicate(existing);
        }
        var seq = _received.Count + 1;
        var id = $"{idPrefix}-{seq:D7}";
        byKey[key] = id;
        index?.Invoke(id);
        _received.Add(new ReceivedEntity(seq, kind, id, key, parentId, time.GetUtcNow(), body));
        if (!_logged.Add((kind, key)))
            _duplicatesStored++;
        CollectionsMarshal.GetValueRefOrAddDefault(_loggedByKind, kind, out _)++;
        return new StoreResult.Stored(id);
    }

    public IReadOnlyList<ReceivedEntity> Received(string? kind = null)
    {
        lock (_gate)
            return kind is null ? [.. _received] : [.. _received.Where(r => r.Kind == kind)];
    }

    public SimulatorStats Stats()
    {
        lock (_gate)
            return new SimulatorStats(
                Logged("product"), Logged("lot"), Logged("event"), Logged("recall"),
                Interlocked.Read(ref _requests), Interlocked.Read(ref _faults),
                Interlocked.Read(ref _duplicatesRejected), _duplicatesStored, _corrections);
    }

    // Caller holds _gate.
    private int Logged(string kind) => _loggedByKind.GetValueOrDefault(kind);
}
