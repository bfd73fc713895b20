namespace Traceability.Storage.Mongo.Documents;

/// <summary>One entry of the authority's audit log (collection <c>audit</c>).</summary>
public sealed class AuditDoc
{
    public string Id { get; set; } = "";
    public TimeDoc At { get; set; } = new();
    public string Actor { get; set; } = "";
    public string Action { get; set; } = "";
    public string Target { get; set; } = "";
    public string? Reason { get; set; }
    public string? Details { get; set; }

    public static AuditDoc From(AuditEntry e) => new()
    {
        Id = e.Id, At = TimeDoc.From(e.At), Actor = e.Actor, Action = e.Action, Target = e.Target, Reason = e.Reason, Details = e.Details,
    };

    public AuditEntry ToRecord() => new(Id, At.ToDateTimeOffset(), Actor, Action, Target, Reason, Details);
}

public static partial class DocumentMappings
{
    private static void RegisterAudit() => Map<AuditDoc>(cm =>
    {
        cm.MapIdMember(x => x.Id);
        cm.MapMember(x => x.At).SetElementName("at");
        cm.MapMember(x => x.Actor).SetElementName("actor");
        cm.MapMember(x => x.Action).SetElementName("action");
        cm.MapMember(x => x.Target).SetElementName("target");
        cm.MapMember(x => x.Reason).SetElementName("reason");
        cm.MapMember(x => x.Details).SetElementName("details");
    });
}
