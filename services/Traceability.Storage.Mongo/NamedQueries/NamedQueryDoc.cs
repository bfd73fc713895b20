namespace Traceability.Storage.Mongo.Documents;

/// <summary>One EPCIS named query (collection <c>namedQueries</c>); _id is "{owner}/{name}", so a name is unique per owner.</summary>
public sealed class NamedQueryDoc
{
    public string Id { get; set; } = "";
    public string Owner { get; set; } = "";
    public string Name { get; set; } = "";
    public string Definition { get; set; } = "";
    public TimeDoc CreatedAt { get; set; } = new();

    public static string IdOf(string owner, string name) => owner + "/" + name;

    public static NamedQueryDoc From(NamedQuery q) => new()
    {
        Id = IdOf(q.Owner, q.Name), Owner = q.Owner, Name = q.Name, Definition = q.Definition, CreatedAt = TimeDoc.From(q.CreatedAt),
    };

    public NamedQuery ToRecord() => new(Owner, Name, Definition, CreatedAt.ToDateTimeOffset());
}
