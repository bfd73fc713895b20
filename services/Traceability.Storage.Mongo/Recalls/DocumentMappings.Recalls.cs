namespace Traceability.Storage.Mongo.Documents;

public static partial class DocumentMappings
{
    /// <summary>Recalls, recalled lots (outbox hosts), alerts, serials and signing keys.</summary>
    private static void RegisterRecalls()
    {
        Map<RecallDoc>(cm =>
        {
            cm.MapIdMember(x => x.Id);
            cm.MapMember(x => x.Gtin).SetElementName("gtin");
            cm.MapMember(x => x.Lots).SetElementName("lots");
            cm.MapMember(x => x.Reason).SetElementName("reason");
            cm.MapMember(x => x.Severity).SetElementName("severity");
            cm.MapMember(x => x.IssuedBy).SetElementName("issuedBy");
            cm.MapMember(x => x.ProducerId).SetElementName("producerId");
            cm.MapMember(x => x.IssuedAt).SetElementName("issuedAt");
            cm.MapMember(x => x.LiftedAt).SetElementName("liftedAt");
            cm.MapMember(x => x.EndedBy).SetElementName("endedBy");
            cm.MapMember(x => x.EndReason).SetElementName("endReason");
        });
        Map<RecallLotDoc>(cm =>
        {
            cm.MapIdMember(x => x.Id);
            cm.MapMember(x => x.RecallId).SetElementName("recallId");
            cm.MapMember(x => x.LotKey).SetElementName("lotKey");
            cm.MapMember(x => x.Active).SetElementName("active");
            cm.MapMember(x => x.IssuedAt).SetElementName("issuedAt");
            cm.MapMember(x => x.Outbox).SetElementName("outbox");
        });
        Map<SerialDoc>(cm =>
        {
            cm.MapIdMember(x => x.Id);
            cm.MapMember(x => x.Gtin).SetElementName("gtin");
            cm.MapMember(x => x.Lot).SetElementName("lot");
            cm.MapMember(x => x.Serial).SetElementName("serial");
            cm.MapMember(x => x.KeyId).SetElementName("keyId");
            cm.MapMember(x => x.IssuedAt).SetElementName("issuedAt");
        });
        Map<SigningKeyDoc>(cm =>
        {
            cm.MapIdMember(x => x.Id);
            cm.MapMember(x => x.Algorithm).SetElementName("algorithm");
            cm.MapMember(x => x.PublicKey).SetElementName("publicKey");
            cm.MapMember(x => x.ProtectedPrivateKey).SetElementName("protectedPrivateKey");
            cm.MapMember(x => x.CreatedAt).SetElementName("createdAt");
            cm.MapMember(x => x.RetiredAt).SetElementName("retiredAt");
        });
    }
}
