namespace Traceability.Storage.Mongo.Documents;

/// <summary>A producer's console user (collection <c>producerUsers</c>); the login is unique (index login_unique).</summary>
public sealed class ProducerUserDoc
{
    public string Id { get; set; } = "";
    public string ProducerId { get; set; } = "";
    public string Login { get; set; } = "";
    public string Name { get; set; } = "";
    public string Role { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public bool MustChangePassword { get; set; }
    public TimeDoc PasswordChangedAt { get; set; } = new();
    public TimeDoc CreatedAt { get; set; } = new();
    public string CreatedBy { get; set; } = "";
    public TimeDoc? DisabledAt { get; set; }

    public static ProducerUserDoc From(ProducerUser u) => new()
    {
        Id = u.Id, ProducerId = u.ProducerId, Login = u.Login, Name = u.Name, Role = u.Role, PasswordHash = u.PasswordHash,
        MustChangePassword = u.MustChangePassword, PasswordChangedAt = TimeDoc.From(u.PasswordChangedAt), CreatedAt = TimeDoc.From(u.CreatedAt),
        CreatedBy = u.CreatedBy, DisabledAt = TimeDoc.From(u.DisabledAt),
    };

    public ProducerUser ToRecord() => new(Id, ProducerId, Login, Name, Role, PasswordHash, MustChangePassword,
        PasswordChangedAt.ToDateTimeOffset(), CreatedAt.ToDateTimeOffset(), CreatedBy, DisabledAt?.ToDateTimeOffset());
}

public static partial class DocumentMappings
{
    private static void RegisterProducerUsers() => Map<ProducerUserDoc>(cm =>
    {
        cm.MapIdMember(x => x.Id);
        cm.MapMember(x => x.ProducerId).SetElementName("producerId");
        cm.MapMember(x => x.Login).SetElementName("login");
        cm.MapMember(x => x.Name).SetElementName("name");
        cm.MapMember(x => x.Role).SetElementName("role");
        cm.MapMember(x => x.PasswordHash).SetElementName("passwordHash");
        cm.MapMember(x => x.MustChangePassword).SetElementName("mustChangePassword");
        cm.MapMember(x => x.PasswordChangedAt).SetElementName("passwordChangedAt");
        cm.MapMember(x => x.CreatedAt).SetElementName("createdAt");
        cm.MapMember(x => x.CreatedBy).SetElementName("createdBy");
        cm.MapMember(x => x.DisabledAt).SetElementName("disabledAt");
    });
}
