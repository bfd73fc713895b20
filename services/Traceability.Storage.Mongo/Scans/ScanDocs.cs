namespace Traceability.Storage.Mongo.Documents;

/// <summary>One anonymous scan (collection scans, sharded by hashed lotKey like events).</summary>
public sealed class ScanDoc
{
    public ObjectId Id { get; set; }
    public string LotKey { get; set; } = "";
    public string? SerialKey { get; set; }
    public string? Serial { get; set; }
    public string? Province { get; set; }
    public string UserAgentClass { get; set; } = "";
    public TimeDoc Time { get; set; } = new();
    public string? Client { get; set; }
    public string Source { get; set; } = ScanSources.Consumer;
    public bool Attested { get; set; }
    public bool Unknown { get; set; }

    public static ScanDoc From(ScanRecord s) => new()
    {
        Id = ObjectId.GenerateNewId(), LotKey = s.LotKey, SerialKey = s.SerialKey, Serial = s.Serial, Province = s.Province,
        UserAgentClass = s.UserAgentClass, Time = TimeDoc.From(s.Time), Client = s.Client, Source = s.Source, Attested = s.Attested,
        Unknown = s.Unknown,
    };

    public ScanRecord ToRecord() => new(Time.ToDateTimeOffset(), LotKey, Serial, Province, UserAgentClass, Client, Source, Attested, Unknown);
}

/// <summary>The salt of one day's client pseudonyms (collection scanSalts, _id = yyyy-MM-dd).</summary>
public sealed class ScanSaltDoc
{
    public string Day { get; set; } = "";
    public byte[] Salt { get; set; } = [];
}

public static partial class DocumentMappings
{
    private static void RegisterScans()
    {
        Map<ScanDoc>(cm =>
        {
            cm.MapIdMember(x => x.Id);
            cm.MapMember(x => x.LotKey).SetElementName("lotKey");
            cm.MapMember(x => x.SerialKey).SetElementName("serialKey");
            cm.MapMember(x => x.Serial).SetElementName("serial");
            cm.MapMember(x => x.Province).SetElementName("province");
            cm.MapMember(x => x.UserAgentClass).SetElementName("userAgentClass");
            cm.MapMember(x => x.Time).SetElementName("time");
            // Scans written before issue 15 have none of these: a missing field reads as the default.
            cm.MapMember(x => x.Client).SetElementName("client").SetIgnoreIfNull(true);
            cm.MapMember(x => x.Source).SetElementName("source").SetDefaultValue(ScanSources.Consumer);
            cm.MapMember(x => x.Attested).SetElementName("attested").SetDefaultValue(false);
            // Only scans of unregistered codes carry it (issue 18's report).
            cm.MapMember(x => x.Unknown).SetElementName("unknown").SetDefaultValue(false).SetIgnoreIfDefault(true);
        });
        Map<ScanSaltDoc>(cm =>
        {
            cm.MapIdMember(x => x.Day);
            cm.MapMember(x => x.Salt).SetElementName("salt");
        });
    }
}
