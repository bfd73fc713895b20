using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Traceability.Storage;

/// <summary>
/// The Data Protection key ring kept in the store (<see cref="IKeyRingStore"/>) instead of a folder
/// beside one host: every host over the store reads the same keys, so a label-signing key or a
/// complainant's contact protected by one host is readable by all. With
/// <c>DataProtection:CertificatePath</c> Data Protection encrypts each key before it reaches
/// <see cref="StoreElement"/>, so the store holds no plain key either.
/// Data Protection calls this synchronously (rarely: at start and when its cached ring expires).
/// </summary>
public sealed partial class StoreXmlRepository : IXmlRepository
{
    private readonly IKeyRingStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lazy<bool> _imported;

    /// <param name="legacyFolder">
    /// The folder earlier versions kept the key ring in (<c>{data}/keys</c>); its files are imported
    /// once, before the first read, so an upgraded installation keeps reading what it protected. Null: none.
    /// </param>
    public StoreXmlRepository(IKeyRingStore store, TimeProvider time, ILogger<StoreXmlRepository> logger, string? legacyFolder)
    {
        (_store, _time, _logger) = (store, time, logger);
        _imported = new Lazy<bool>(() => legacyFolder is not null && Import(legacyFolder) > 0);
    }

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        _ = _imported.Value;
        return [.. _store.ListKeyRingAsync().GetAwaiter().GetResult().Select(e => XElement.Parse(e.Xml))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        _ = _imported.Value;
        var xml = element.ToString(SaveOptions.DisableFormatting);
        var name = string.IsNullOrWhiteSpace(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName;
        // Names are "key-{guid}" or "revocation-…": unique in practice; a clash keeps both elements.
        if (!_store.AddKeyRingElementAsync(new KeyRingElement(name, xml, _time.GetUtcNow())).GetAwaiter().GetResult())
            _store.AddKeyRingElementAsync(new KeyRingElement(name + "-" + Guid.NewGuid().ToString("N"), xml, _time.GetUtcNow())).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Copies every <c>*.xml</c> of <paramref name="folder"/> into the store (an element already there
    /// by name is left alone, so running it again adds nothing). The files stay: an older version
    /// started on the same directory still finds them.
    /// </summary>
    public int Import(string folder)
    {
        if (!Directory.Exists(folder)) return 0;
        var added = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "*.xml").Order(StringComparer.Ordinal))
        {
            var xml = XElement.Parse(File.ReadAllText(file)).ToString(SaveOptions.DisableFormatting);
            var element = new KeyRingElement(Path.GetFileNameWithoutExtension(file), xml, new DateTimeOffset(File.GetLastWriteTimeUtc(file)));
            if (_store.AddKeyRingElementAsync(element).GetAwaiter().GetResult()) added++;
        }
        if (added > 0) Log.Imported(_logger, added, folder);
        return added;
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Imported {Count} Data Protection key file(s) from {Folder} into the store; the store's copy is used from now on")]
        public static partial void Imported(ILogger logger, int count, string folder);
    }
}
