namespace Traceability.Storage.Mongo.Tests;

public sealed class IdsAndTokensTests
{
    [Theory]
    [InlineData(OutboxKind.Product, "08930000000013", "p:08930000000013")]
    [InlineData(OutboxKind.Lot, "01/08930000000013/10/L:1", "l:01/08930000000013/10/L:1")]
    [InlineData(OutboxKind.Event, "urn:uuid:1", "e:urn:uuid:1")]
    [InlineData(OutboxKind.Recall, "rc_1", "r:rc_1")]
    public void Outbox_id_names_the_kind_and_key_and_parses_back(OutboxKind kind, string key, string id)
    {
        Assert.Equal(id, OutboxIds.Format(kind, key));
        Assert.True(OutboxIds.TryParse(id, out var k, out var parsedKey));
        Assert.Equal(kind, k);
        Assert.Equal(key, parsedKey);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("x:1")]
    [InlineData("p1")]
    [InlineData("p:")]
    [InlineData("42")]
    public void Malformed_outbox_ids_are_rejected(string? id) => Assert.False(OutboxIds.TryParse(id, out _, out _));

    [Fact]
    public void Page_token_round_trips_and_is_opaque()
    {
        var p = new PageTokens.Position(1_795_680_000_123, "urn:uuid:a|b");

        var token = PageTokens.Encode("r1", p);

        Assert.DoesNotContain("urn", token, StringComparison.Ordinal);
        Assert.DoesNotContain('+', token);
        Assert.DoesNotContain('/', token);
        Assert.Equal(p, PageTokens.Decode(token, "r1"));
        // The token holds its order: another orderBy/orderDirection cannot continue it.
        var error = Assert.Throws<ArgumentException>(() => PageTokens.Decode(token, "ed"));
        Assert.Contains("another order", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a token!")]
    [InlineData("djF8eHx5")] // "v1|x|y"
    [InlineData("djF8MTIzfGE")] // "v1|123|a": the earlier event-time tokens
    [InlineData("")]
    public void Foreign_page_tokens_are_an_argument_error(string token) =>
        Assert.Throws<ArgumentException>(() => PageTokens.Decode(token, "r1"));
}
