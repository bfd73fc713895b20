namespace Traceability.ServiceDefaults.Auth;

/// <summary>
/// Makes sure the bootstrap authority key exists (DESIGN §4.1): `Auth:AdminKey` when configured,
/// otherwise a generated key, printed once and kept in the data directory for the operator.
/// </summary>
public sealed partial class AdminKeyBootstrap(
    IAccountStore accounts, IConfiguration configuration, TimeProvider time, ILogger<AdminKeyBootstrap> logger) : IHostedService
{
    private const string GeneratedKeyId = "admin";
    public const string KeyFileName = "admin-key.txt";

    public async Task StartAsync(CancellationToken ct)
    {
        // A configured key is checked by the authentication handler straight from configuration,
        // so changing it in configuration takes effect without anything stored.
        if (!string.IsNullOrEmpty(configuration["Auth:AdminKey"])) return;
        if (await accounts.GetApiKeyAsync(GeneratedKeyId, ct) is not null) return;

        var now = time.GetUtcNow();
        var (plainText, generated) = ApiKeys.Issue(Role.Admin, now, keyId: GeneratedKeyId);
        await accounts.AddApiKeyAsync(generated, ct);
        var file = WriteKeyFile(plainText);
        LogGeneratedAdminKey(logger, file);
        Console.WriteLine($"""

            ======================================================================
             Admin (authority) key, shown once: {plainText}
             Also written to {file} (readable by this user only).
             Set Auth__AdminKey to use a key of your own instead.
            ======================================================================

            """);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    private string WriteKeyFile(string plainText)
    {
        var dir = Traceability.Storage.StorageOptions.FullDataDirectory(configuration);
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, KeyFileName);
        File.WriteAllText(file, plainText + Environment.NewLine);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return file;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generated a new admin key; it was printed once and written to {File}")]
    private static partial void LogGeneratedAdminKey(ILogger logger, string file);
}
