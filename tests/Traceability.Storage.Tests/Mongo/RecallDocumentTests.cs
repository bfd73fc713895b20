using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using Traceability.Storage.Mongo.Documents;

namespace Traceability.Storage.Tests.Mongo;

/// <summary>The stored shape of the recall/verification documents, and their BSON round trip (no server needed).</summary>
public sealed class RecallDocumentTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(7));

    public RecallDocumentTests() => DocumentMappings.Register();

    private static T RoundTrip<T>(T doc, out BsonDocument bson)
    {
        bson = doc.ToBsonDocument();
        return BsonSerializer.Deserialize<T>(bson);
    }

    [Fact]
    public void A_recall_round_trips_with_camel_case_names()
    {
        var recall = new Recall("rc-1", "08936004000017", ["SLC-2610-07", "A/1"], "Nấm mốc", "high", "admin", null, At);
        var read = RoundTrip(RecallDoc.From(recall), out var bson).ToRecord();
        Assert.Equal(["_id", "gtin", "lots", "reason", "severity", "issuedBy", "producerId", "issuedAt", "liftedAt", "endedBy", "endReason"], bson.Names);
        Assert.Equal(recall.Lots, read.Lots);
        Assert.Equal(recall with { Lots = read.Lots }, read);
    }

    [Fact]
    public void An_ended_recall_round_trips_with_who_ended_it_and_why()
    {
        var recall = new Recall("rc-2", "08936004000017", ["A"], "Nấm mốc", "high", "admin", "p1", At, At.AddDays(3), "Trần Thị Bích", "Đã tiêu hủy");
        var read = RoundTrip(RecallDoc.From(recall), out _).ToRecord();
        Assert.Equal(recall with { Lots = read.Lots }, read);
    }

    [Fact]
    public void A_recalled_lot_hosts_its_outbox_row()
    {
        var doc = new RecallLotDoc
        {
            Id = "rc-1/01/08936004000017/10/A", RecallId = "rc-1", LotKey = "01/08936004000017/10/A", IssuedAt = TimeDoc.From(At),
            Outbox = OutboxDoc.Pending(new OutboxMessage(OutboxKind.Recall, "rc-1/01/08936004000017/10/A", OutboxKind.Lot, "01/08936004000017/10/A", null), At),
        };
        var read = RoundTrip(doc, out var bson);
        Assert.Equal(["_id", "recallId", "lotKey", "active", "issuedAt", "outbox"], bson.Names);
        Assert.Equal("Pending", bson["outbox"]["state"].AsString);
        Assert.Equal("Lot", bson["outbox"]["dependsOnKind"].AsString);
        Assert.Equal((doc.Id, doc.LotKey, true), (read.Id, read.LotKey, read.Active));
        Assert.Equal(OutboxKind.Lot, read.Outbox!.DependsOnKind);
    }

    [Fact]
    public void Serials_and_signing_keys_round_trip()
    {
        var serial = new IssuedSerial("08936004000017", "A/1", "qZNPH7udGHjk", "3ed7c603", At);
        var serialDoc = RoundTrip(SerialDoc.From(serial), out var serialBson);
        Assert.Equal("01/08936004000017/10/A%2F1/21/qZNPH7udGHjk", serialBson["_id"].AsString);
        Assert.Equal(serial, serialDoc.ToRecord());

        var key = new SigningKeyRecord("k1", "ES256", [1, 2, 3], [4, 5], At, At.AddDays(1));
        var keyRead = RoundTrip(SigningKeyDoc.From(key), out var keyBson).ToRecord();
        Assert.Equal(BsonType.Binary, keyBson["protectedPrivateKey"].BsonType);
        Assert.Equal((key.KeyId, key.CreatedAt, key.RetiredAt), (keyRead.KeyId, keyRead.CreatedAt, keyRead.RetiredAt));
        Assert.Equal(key.PublicKey, keyRead.PublicKey);
    }
}
