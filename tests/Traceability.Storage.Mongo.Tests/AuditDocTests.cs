namespace Traceability.Storage.Mongo.Tests;

/// <summary>The authority's audit log (collection audit): stored shape and round trip.</summary>
public sealed class AuditDocTests
{
    static AuditDocTests() => DocumentMappings.Register();

    [Fact]
    public void Audit_entry_round_trips_with_camel_case_names()
    {
        var e = new AuditEntry("au_1", new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.FromHours(7)), "key:admin-configured",
            "producer.suspend", "producer:p_1", "Hàng giả", null);

        var bson = Render.ToBson(AuditDoc.From(e));

        Assert.Equal("au_1", bson["_id"].AsString);
        Assert.Equal("producer.suspend", bson["action"].AsString);
        Assert.Equal("producer:p_1", bson["target"].AsString);
        Assert.Equal("Hàng giả", bson["reason"].AsString);
        Assert.Equal(e, Render.RoundTrip(AuditDoc.From(e)).ToRecord());
        Assert.Equal("audit", Collections.Audit);
    }
}
