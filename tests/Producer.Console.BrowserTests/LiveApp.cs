namespace Traceability.ProducerConsole.BrowserTests;

/// <summary>The standalone host on a real Kestrel port (tests/Shared LiveStandaloneApp) with the console's demo-like producer.</summary>
public static class LiveApp
{
    /// <summary>A producer with a fresh company prefix: its key and prefix.</summary>
    public static async Task<(string Key, string Prefix)> NewProducerAsync(this LiveStandaloneApp app)
    {
        var producer = await app.RegisterProducerAsync("HTX Chè Shan tuyết", address: "Xã Sinh Long");
        return (producer.ApiKey, producer.Prefix);
    }
}

public sealed class LiveAppFixture : IDisposable
{
    public LiveStandaloneApp App { get; } = new();

    public void Dispose() => App.Dispose();
}
