namespace Traceability.Storage.Mongo.Tests;

/// <summary>A producer's console accounts (collection producerUsers): stored shape, round trip and the unique login index.</summary>
public sealed class ProducerUserDocTests
{
    static ProducerUserDocTests() => DocumentMappings.Register();

    [Fact]
    public void A_producer_user_round_trips_with_camel_case_names_and_its_login_is_unique()
    {
        var at = new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.FromHours(7));
        var user = new ProducerUser("pu_1", "p_1", "hoa@example.vn", "Nguyễn Thị Hoa", "admin", "AQAAAAIAAYagAAAAE…", true,
            at, at, "admin-configured", at.AddDays(1));

        var bson = Render.ToBson(ProducerUserDoc.From(user));

        Assert.Equal(new[] { "_id", "producerId", "login", "name", "role", "passwordHash", "mustChangePassword", "passwordChangedAt", "createdAt",
            "createdBy", "disabledAt" }, bson.Names.ToArray());
        Assert.True(bson["mustChangePassword"].AsBoolean);
        Assert.Equal(user, Render.RoundTrip(ProducerUserDoc.From(user)).ToRecord());
        Assert.Equal("producerUsers", Collections.ProducerUsers);
        var login = MongoProducerUserStore.ProducerUserIndexes[0];
        Assert.Equal(("login_unique", true), (login.Options.Name, login.Options.Unique ?? false));
        Assert.Equal("""{ "login" : 1 }""", Render.Keys(login.Keys).ToJson());
    }
}
