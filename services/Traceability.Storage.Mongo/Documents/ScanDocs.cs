using MongoDB.Bson;

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

    public static ScanDoc From(ScanRecord s) => new()
    {
        Id = ObjectId.GenerateNewId(), LotKey = s.LotKey, SerialKey = s.SerialKey, Serial = s.Serial, Province = s.Province,
        UserAgentClass = s.UserAgentClass, Time = TimeDoc.From(s.Time),
    };

    public ScanRecord ToRecord() => new(Time.ToDateTimeOffset(), LotKey, Serial, Province, UserAgentClass);
}

public static partial class DocumentMappings
{
    private static void RegisterScans() =>
        Map<ScanDoc>(cm =>
        {
            cm.MapIdMember(x => x.Id);
            cm.MapMember(x => x.LotKey).SetElementName("lotKey");
            cm.MapMember(x => x.SerialKey).SetElementName("serialKey");
            cm.MapMember(x => x.Serial).SetElementName("serial");
            cm.MapMember(x => x.Province).SetElementName("province");
            cm.MapMember(x => x.UserAgentClass).SetElementName("userAgentClass");
            cm.MapMember(x => x.Time).SetElementName("time");
        });
}
