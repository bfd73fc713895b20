using Microsoft.Extensions.Options;

namespace Traceability.Security.Tests;

/// <summary>Issue 16: settings that are each in range but wrong for the host refuse its start with a message naming the keys.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("short-admin-key-0123", "fewer than 32")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "repeats a few characters")]
    [InlineData("01234567890123456789012345678901", "too few kinds of characters")] // 32 digits: 106 bits
    [InlineData("abcabcabcabcabcabcabcabcabcabcabcabcabc1", "repeats a few characters")]
    public void A_weak_operator_chosen_admin_key_refuses_the_start(string key, string reason)
    {
        var message = StartFailure(new() { ["Auth:AdminKey"] = key });
        Assert.Contains("Auth:AdminKey", message);
        Assert.Contains(reason, message);
        Assert.Contains("openssl rand -hex 16", message);
    }

    [Fact]
    public async Task An_admin_key_of_32_random_hex_digits_starts()
    {
        var key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        await using var app = new SecurityApp { Settings = new Dictionary<string, string> { ["Auth:AdminKey"] = key } };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.ClientWithKey(key).GetAsync("/api/v1/sync/status")).StatusCode);
    }

    [Fact]
    public void A_sync_lease_shorter_than_a_round_refuses_the_start_naming_the_keys()
    {
        // The setting: a round of 100 rows × 4 lanes at 50 calls/s alone takes 8 s.
        var message = StartFailure(new() { ["Sync:LeaseSeconds"] = "5" });
        foreach (var key in new[] { "Sync:LeaseSeconds (5)", "Portal:TotalTimeout", "Portal:AttemptTimeout", "Sync:BatchSize", "Sync:Lanes", "Portal:RatePerSecond" })
            Assert.Contains(key, message);
        Assert.Contains("68 s", message); // 60 s total timeout + 8 s of quota
    }

    [Fact]
    public void Backoff_and_timeouts_in_the_wrong_order_refuse_the_start()
    {
        var message = StartFailure(new()
        {
            ["Sync:BackoffBase"] = "00:05:00", ["Sync:MaxBackoff"] = "00:01:00",
            ["Portal:AttemptTimeout"] = "00:02:00", ["Portal:TotalTimeout"] = "00:01:00",
        });
        Assert.Contains("Sync:BackoffBase (00:05:00) must not be longer than Sync:MaxBackoff (00:01:00)", message);
        Assert.Contains("Portal:AttemptTimeout (00:02:00) must not be longer than Portal:TotalTimeout (00:01:00)", message);
    }

    [Fact]
    public async Task A_lease_that_covers_a_round_starts()
    {
        await using var app = new SecurityApp { Settings = new Dictionary<string, string>
        {
            ["Sync:LeaseSeconds"] = "5", ["Portal:TotalTimeout"] = "00:00:03", ["Portal:AttemptTimeout"] = "00:00:01",
            ["Portal:RatePerSecond"] = "1000",
        } };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.CreateClient().GetAsync("/alive")).StatusCode);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("366")]
    public void An_overdue_period_out_of_range_refuses_the_start(string days)
    {
        var message = StartFailure(new() { ["Reports:OverdueDays"] = days });
        Assert.Contains("OverdueDays", message);
        Assert.Contains("between 1 and 365", message);
    }

    private static string StartFailure(Dictionary<string, string> settings)
    {
        using var app = new SecurityApp { Settings = settings };
        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        var validation = failure as OptionsValidationException ?? failure.InnerException as OptionsValidationException;
        Assert.NotNull(validation);
        return validation.Message;
    }
}
