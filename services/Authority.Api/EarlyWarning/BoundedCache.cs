using System.Collections.Concurrent;

namespace Traceability.Authority.Api.EarlyWarning;

/// <summary>
/// A thread-safe cache of at most <c>capacity</c> entries that keeps what is read (the early warning's
/// facts, histories, parsed keys). Eviction is a clock sweep (second chance): a read marks its entry;
/// when an insertion finds the cache full, one sweep drops every entry not read since the previous
/// sweep and unmarks the rest, and if that frees less than a quarter, drops further entries until it
/// has. So a hot lot or cell stays while one-off keys go, a full cache costs one O(n) sweep per n/4
/// insertions, and a read is a dictionary lookup and a flag write (no allocation, no lock) — unlike
/// emptying everything when full, which made every hot key a miss at once.
/// </summary>
public sealed class BoundedCache<TKey, TValue> where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries;
    private readonly int _capacity;
    private readonly Lock _sweep = new();

    public BoundedCache(int capacity, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _entries = new ConcurrentDictionary<TKey, Entry>(comparer);
    }

    public int Count => _entries.Count;

    public bool TryGetValue(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.Used = true;
            value = entry.Value;
            return true;
        }
        value = default!;
        return false;
    }

    /// <summary>Adds or replaces the entry; a full cache sweeps first.</summary>
    public void Set(TKey key, TValue value)
    {
        if (_entries.Count >= _capacity && !_entries.ContainsKey(key)) Sweep();
        _entries[key] = new Entry(value);
    }

    public bool Remove(TKey key) => _entries.TryRemove(key, out _);

    /// <summary>Removes every entry whose key matches (a product's lots when the product changes).</summary>
    public void RemoveWhere(Func<TKey, bool> match)
    {
        foreach (var key in _entries.Keys)
            if (match(key)) _entries.TryRemove(key, out _);
    }

    public void Clear() => _entries.Clear();

    private void Sweep()
    {
        lock (_sweep)
        {
            // Another writer may have swept while this one waited.
            if (_entries.Count < _capacity) return;
            var target = _capacity - Math.Max(1, _capacity / 4);
            foreach (var (key, entry) in _entries)
            {
                if (entry.Used) entry.Used = false;
                else _entries.TryRemove(key, out _);
            }
            // Everything was read since the last sweep: drop some anyway, or every insertion would sweep.
            foreach (var key in _entries.Keys)
            {
                if (_entries.Count <= target) break;
                _entries.TryRemove(key, out _);
            }
        }
    }

    private sealed class Entry(TValue value)
    {
        public readonly TValue Value = value;
        public volatile bool Used;
    }
}
