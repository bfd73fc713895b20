using Traceability.Domain.DigitalLinks;

namespace Traceability.Domain.Tests;

/// <summary>Issue 20: a broken percent-escape is an error, never taken literally as part of a different code.</summary>
public sealed class DigitalLinkEscapeTests
{
    private const string Gtin = "08930000000019";

    [Theory]
    [InlineData("/01/" + Gtin + "/10/50%")]
    [InlineData("/01/" + Gtin + "/10/A%ZZ")]
    [InlineData("/01/" + Gtin + "/10/A%2")]
    [InlineData("/01/" + Gtin + "/10/A?x=%G1")]
    public void Malformed_escapes_are_refused(string text)
    {
        Assert.False(DigitalLink.TryParse(text, out _, out var error));
        Assert.Contains("percent-encoded", error);
    }

    [Theory]
    [InlineData("/01/" + Gtin + "/10/A%2FB", "A/B")]
    [InlineData("/01/" + Gtin + "/10/50%25", "50%")]
    public void Well_formed_escapes_decode(string text, string lot)
    {
        Assert.True(DigitalLink.TryParse(text, out var link, out var error), error);
        Assert.Equal(lot, link.Lot);
    }
}
