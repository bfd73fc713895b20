using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Logging.Abstractions;

namespace Traceability.Storage.Tests.Sqlite;

/// <summary>
/// The Data Protection key ring in the database (issue 17): key files an earlier version wrote to
/// {data}/keys are imported once, and what one host protected another host over the same file reads.
/// </summary>
public sealed class StoreXmlRepositoryTests
{
    private const string Application = "Traceability";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Key_files_of_an_earlier_version_are_imported_once_and_what_they_protected_stays_readable_on_every_host()
    {
        using var directory = TempDirectory.Create();
        var legacy = Path.Combine(directory.Path, "keys");
        // As an earlier version did: the key ring in a folder.
        var old = DataProtectionProvider.Create(new DirectoryInfo(legacy), b => b.SetApplicationName(Application)).CreateProtector("contacts");
        var secret = old.Protect("0912 000 111");
        var files = Directory.GetFiles(legacy, "key-*.xml");
        Assert.Single(files);

        await using var hostA = TestStores.OpenSqlite(directory.Path);
        await using var hostB = TestStores.OpenSqlite(directory.Path);
        var repositoryA = Repository(hostA, legacy);
        Assert.Equal("0912 000 111", Protector(repositoryA).Unprotect(secret));
        var ring = await hostA.Get<IKeyRingStore>().ListKeyRingAsync(Ct);
        Assert.Equal([Path.GetFileNameWithoutExtension(files[0])], ring.Select(e => e.Name));

        // Another host (no legacy folder given) reads the same ring; importing again adds nothing.
        Assert.Equal("0912 000 111", Protector(Repository(hostB, null)).Unprotect(secret));
        Assert.Equal(0, repositoryA.Import(legacy));
        Assert.Single(await hostB.Get<IKeyRingStore>().ListKeyRingAsync(Ct));
    }

    [Fact]
    public async Task A_key_made_by_one_host_is_stored_once_and_unprotects_on_another()
    {
        using var directory = TempDirectory.Create();
        await using var hostA = TestStores.OpenSqlite(directory.Path);
        await using var hostB = TestStores.OpenSqlite(directory.Path);

        var secret = Protector(Repository(hostA, null)).Protect("label key");
        Assert.Single(await hostB.Get<IKeyRingStore>().ListKeyRingAsync(Ct));
        Assert.Equal("label key", Protector(Repository(hostB, null)).Unprotect(secret));
        Assert.False(Directory.Exists(Path.Combine(directory.Path, "keys")));
    }

    private static StoreXmlRepository Repository(TestStores store, string? legacy) =>
        new(store.Get<IKeyRingStore>(), TimeProvider.System, NullLogger<StoreXmlRepository>.Instance, legacy);

    private static IDataProtector Protector(StoreXmlRepository repository)
    {
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName(Application);
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = repository);
        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("contacts");
    }
}
