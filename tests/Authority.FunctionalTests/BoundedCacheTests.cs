namespace Traceability.Authority.FunctionalTests;

/// <summary>The early warning's one bounded cache: what is read survives a sweep, what is not goes, and it never grows past its capacity.</summary>
public sealed class BoundedCacheTests
{
    [Fact]
    public void A_full_cache_keeps_the_entries_read_since_the_last_sweep_and_drops_the_others()
    {
        var cache = new BoundedCache<string, int>(4, StringComparer.Ordinal);
        foreach (var (key, i) in new[] { "a", "b", "c", "d" }.Select((k, i) => (k, i))) cache.Set(key, i);
        Assert.True(cache.TryGetValue("a", out _));
        Assert.True(cache.TryGetValue("c", out var c));
        Assert.Equal(2, c);

        cache.Set("e", 4);

        Assert.Equal(3, cache.Count);
        Assert.True(cache.TryGetValue("a", out _));
        Assert.True(cache.TryGetValue("c", out _));
        Assert.True(cache.TryGetValue("e", out var e));
        Assert.Equal(4, e);
        Assert.False(cache.TryGetValue("b", out _));
        Assert.False(cache.TryGetValue("d", out _));
    }

    [Fact]
    public void When_everything_was_read_a_sweep_still_frees_a_quarter_and_replacing_a_key_never_sweeps()
    {
        var cache = new BoundedCache<int, int>(8);
        for (var i = 0; i < 8; i++) cache.Set(i, i);
        cache.Set(3, 33);
        Assert.Equal(8, cache.Count);
        Assert.True(cache.TryGetValue(3, out var three));
        Assert.Equal(33, three);

        for (var i = 0; i < 8; i++) Assert.True(cache.TryGetValue(i, out _));
        cache.Set(100, 100);

        // 8 → 6 by the sweep, then the new one: room for the next insertions without another sweep.
        Assert.Equal(7, cache.Count);
        Assert.True(cache.TryGetValue(100, out _));
    }

    [Fact]
    public void Many_keys_never_grow_it_past_its_capacity_and_removal_by_key_or_prefix_works()
    {
        var cache = new BoundedCache<string, int>(100, StringComparer.Ordinal);
        for (var i = 0; i < 10_000; i++)
        {
            cache.Set($"01/{i % 7}/10/L{i}", i);
            Assert.True(cache.Count <= 100);
            if (i % 3 == 0) cache.TryGetValue($"01/{i % 7}/10/L{i}", out _);
        }
        cache.Set("01/9/10/A", 1);
        cache.Set("01/9/10/B", 2);
        cache.Set("01/8/10/A", 3);
        cache.RemoveWhere(k => k.StartsWith("01/9/10/", StringComparison.Ordinal));
        Assert.False(cache.TryGetValue("01/9/10/A", out _));
        Assert.False(cache.TryGetValue("01/9/10/B", out _));
        Assert.True(cache.Remove("01/8/10/A"));
        Assert.False(cache.TryGetValue("01/8/10/A", out _));
        cache.Clear();
        Assert.Equal(0, cache.Count);
    }
}
