using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;

namespace Traceability.Storage.Mongo.Documents;

/// <summary>
/// Explicit BSON class maps for every stored document: camelCase element names written out, enums
/// as strings, decimals as Decimal128, so the stored shape is a deliberate contract (the tests
/// render and compare it) rather than whatever automapping infers from property names.
/// </summary>
public static partial class DocumentMappings
{
    private static readonly Lock Gate = new();

    // Calendar dates without a time zone (a lot's dates, a certificate's validity): ISO "yyyy-MM-dd"
    // strings, never shifted by a zone.
    private static readonly NullableSerializer<DateOnly> IsoDate = new(new DateOnlySerializer(BsonType.String));
    private static bool registered;

    public static void Register()
    {
        lock (Gate)
        {
            if (registered) return;
            Map<TimeDoc>(cm =>
            {
                cm.MapMember(x => x.Date).SetElementName("date").SetSerializer(DateTimeSerializer.UtcInstance);
                cm.MapMember(x => x.Ticks).SetElementName("ticks");
                cm.MapMember(x => x.Offset).SetElementName("offset");
            });
            Map<OutboxDoc>(cm =>
            {
                cm.MapMember(x => x.State).SetElementName("state").SetSerializer(new EnumSerializer<OutboxState>(BsonType.String));
                cm.MapMember(x => x.Attempts).SetElementName("attempts");
                cm.MapMember(x => x.CreatedAt).SetElementName("createdAt");
                cm.MapMember(x => x.NextAttemptAt).SetElementName("nextAttemptAt");
                cm.MapMember(x => x.LeaseUntil).SetElementName("leaseUntil");
                cm.MapMember(x => x.LeaseOwner).SetElementName("leaseOwner");
                cm.MapMember(x => x.LastError).SetElementName("lastError");
                cm.MapMember(x => x.PortalId).SetElementName("portalId");
                cm.MapMember(x => x.TraceParent).SetElementName("traceParent");
                cm.MapMember(x => x.DependsOnKind).SetElementName("dependsOnKind")
                    .SetSerializer(new NullableSerializer<OutboxKind>(new EnumSerializer<OutboxKind>(BsonType.String)));
                cm.MapMember(x => x.DependsOnKey).SetElementName("dependsOnKey");
            });
            Map<ProducerDoc>(cm =>
            {
                cm.MapIdMember(x => x.Id);
                cm.MapMember(x => x.Name).SetElementName("name");
                cm.MapMember(x => x.TaxCode).SetElementName("taxCode");
                cm.MapMember(x => x.Address).SetElementName("address");
                cm.MapMember(x => x.Province).SetElementName("province");
                cm.MapMember(x => x.Gln).SetElementName("gln");
                cm.MapMember(x => x.CompanyPrefixes).SetElementName("companyPrefixes");
                cm.MapMember(x => x.CreatedAt).SetElementName("createdAt");
                cm.MapMember(x => x.Phone).SetElementName("phone");
                cm.MapMember(x => x.Email).SetElementName("email");
                cm.MapMember(x => x.Suspended).SetElementName("suspended");
                cm.MapMember(x => x.PublicPhone).SetElementName("publicPhone");
                cm.MapMember(x => x.Website).SetElementName("website");
            });
            Map<InspectorDoc>(cm =>
            {
                cm.MapIdMember(x => x.Id);
                cm.MapMember(x => x.Name).SetElementName("name");
                cm.MapMember(x => x.Agency).SetElementName("agency");
                cm.MapMember(x => x.CreatedAt).SetElementName("createdAt");
            });
            Map<ApiKeyDoc>(cm =>
            {
                cm.MapIdMember(x => x.Id);
                cm.MapMember(x => x.Salt).SetElementName("salt");
                cm.MapMember(x => x.Hash).SetElementName("hash");
                cm.MapMember(x => x.Role).SetElementName("role").SetSerializer(new EnumSerializer<Role>(BsonType.String));
                cm.MapMember(x => x.ProducerId).SetElementName("producerId");
                cm.MapMember(x => x.InspectorId).SetElementName("inspectorId");
                cm.MapMember(x => x.CreatedAt).SetElementName("createdAt");
                cm.MapMember(x => x.RevokedAt).SetElementName("revokedAt");
                cm.MapMember(x => x.StaffId).SetElementName("staffId");
            });
            Map<StaffDoc>(cm =>
            {
                cm.MapIdMember(x => x.Id);
                cm.MapMember(x => x.Name).SetElementName("name");
                cm.MapMember(x => x.Unit).SetElementName("unit");
                cm.MapMember(x => x.Role).SetElementName("role");
                cm.MapMember(x => x.CreatedAt).SetElementName("createdAt");
                cm.MapMember(x => x.CreatedBy).SetElementName("createdBy");
                cm.MapMember(x => x.RevokedAt).SetElementName("revokedAt");
            });
            Map<CertificateDoc>(cm =>
            {
                cm.MapMember(x => x.Standard).SetElementName("standard");
                cm.MapMember(x => x.Number).SetElementName("number");
                cm.MapMember(x => x.Issuer).SetElementName("issuer");
                cm.MapMember(x => x.ValidFrom).SetElementName("validFrom").SetSerializer(IsoDate);
                cm.MapMember(x => x.ValidTo).SetElementName("validTo").SetSerializer(IsoDate);
            });
            Map<LocalizedTextDoc>(cm =>
            {
                cm.MapMember(x => x.Vi).SetElementName("vi");
                cm.MapMember(x => x.En).SetElementName("en");
            });
            Map<ProductDoc>(cm =>
            {
                cm.MapIdMember(x => x.Id);
                cm.MapMember(x => x.ProducerId).SetElementName("producerId");
                cm.MapMember(x => x.Name).SetElementName("name");
                cm.MapMember(x => x.Brand).SetElementName("brand");
                cm.MapMember(x => x.ImageUrl).SetElementName("imageUrl");
                cm.MapMember(x => x.Category).SetElementName("category");
                cm.MapMember(x => x.Description).SetElementName("description");
                cm.MapMember(x => x.Standards).SetElementName("standards");
                cm.MapMember(x => x.Certificates).SetElementName("certificates");
                cm.MapMember(x => x.Unit).SetElementName("unit");
                cm.MapMember(x => x.CreatedAt).SetElementName("createdAt");
                cm.MapMember(x => x.UpdatedAt).SetElementName("updatedAt");
                cm.MapMember(x => x.Outbox).SetElementName("outbox");
            });
            Map<LocationDoc>(cm =>
            {
                cm.MapIdMember(x => x.Id);
                cm.MapMember(x => x.ProducerId).SetElementName("producerId");
                cm.MapMember(x => x.Code).SetElementName("code");
                cm.MapMember(x => x.Name).SetElementName("name");
                cm.MapMember(x => x.Kind).SetElementName("kind");
                cm.MapMember(x => x.Address).SetElementName("address");
                cm.MapMember(x => x.Province).SetElementName("province");
                cm.MapMember(x => x.Latitude).SetElementName("latitude");
                cm.MapMember(x => x.Longitude).SetElementName("longitude");
                cm.MapMember(x => x.Gln).SetElementName("gln");
                cm.MapMember(x => x.CreatedAt).SetElementName("createdAt");
            });
            Map<LotDoc>(cm =>
            {
                cm.MapIdMember(x => x.Id);
                cm.MapMember(x => x.Gtin).SetElementName("gtin");
                cm.MapMember(x => x.Lot).SetElementName("lot");
                cm.MapMember(x => x.ProducerId).SetElementName("producerId");
                cm.MapMember(x => x.ProductionDate).SetElementName("productionDate").SetSerializer(IsoDate);
                cm.MapMember(x => x.ExpiryDate).SetElementName("expiryDate").SetSerializer(IsoDate);
                cm.MapMember(x => x.Quantity).SetElementName("quantity")
                    .SetSerializer(new NullableSerializer<decimal>(new DecimalSerializer(BsonType.Decimal128)));
                cm.MapMember(x => x.Uom).SetElementName("uom");
                cm.MapMember(x => x.OriginLocation).SetElementName("originLocation");
                cm.MapMember(x => x.CreatedAt).SetElementName("createdAt");
                cm.MapMember(x => x.Outbox).SetElementName("outbox");
            });
            Map<EventKeyDoc>(cm =>
            {
                cm.MapMember(x => x.Value).SetElementName("value");
                cm.MapMember(x => x.Role).SetElementName("role").SetSerializer(new EnumSerializer<EventKeyRole>(BsonType.String));
            });
            Map<EventDoc>(cm =>
            {
                cm.MapIdMember(x => x.Id);
                cm.MapMember(x => x.LotKey).SetElementName("lotKey");
                cm.MapMember(x => x.ProducerId).SetElementName("producerId");
                cm.MapMember(x => x.EventType).SetElementName("eventType");
                cm.MapMember(x => x.EventTime).SetElementName("eventTime");
                cm.MapMember(x => x.RecordTime).SetElementName("recordTime");
                cm.MapMember(x => x.Action).SetElementName("action");
                cm.MapMember(x => x.BizStep).SetElementName("bizStep");
                cm.MapMember(x => x.Disposition).SetElementName("disposition");
                cm.MapMember(x => x.ReadPoint).SetElementName("readPoint");
                cm.MapMember(x => x.BizLocation).SetElementName("bizLocation");
                cm.MapMember(x => x.Json).SetElementName("json");
                cm.MapMember(x => x.Keys).SetElementName("keys");
                cm.MapMember(x => x.CaptureId).SetElementName("captureId");
                cm.MapMember(x => x.Outbox).SetElementName("outbox");
                cm.MapMember(x => x.Declaration).SetElementName("declaration").SetIgnoreIfNull(true);
            });
            Map<DeclarationDoc>(cm =>
            {
                cm.MapMember(x => x.ProducerId).SetElementName("producerId");
                cm.MapMember(x => x.DeclarationTime).SetElementName("declarationTime");
                cm.MapMember(x => x.Reason).SetElementName("reason");
                cm.MapMember(x => x.CorrectiveEventIds).SetElementName("correctiveEventIds");
                cm.MapMember(x => x.ErrorDeclaration).SetElementName("errorDeclaration");
                cm.MapMember(x => x.Json).SetElementName("json");
                cm.MapMember(x => x.RecordTime).SetElementName("recordTime");
                cm.MapMember(x => x.CaptureId).SetElementName("captureId");
            });
            Map<CaptureJobDoc>(cm =>
            {
                cm.MapIdMember(x => x.Id);
                cm.MapMember(x => x.ProducerId).SetElementName("producerId");
                cm.MapMember(x => x.Running).SetElementName("running");
                cm.MapMember(x => x.Success).SetElementName("success");
                cm.MapMember(x => x.CreatedAt).SetElementName("createdAt");
                cm.MapMember(x => x.FinishedAt).SetElementName("finishedAt");
                cm.MapMember(x => x.Errors).SetElementName("errors");
                cm.MapMember(x => x.EventCount).SetElementName("eventCount");
                cm.MapMember(x => x.DuplicateCount).SetElementName("duplicateCount");
                // Jobs stored before proceed existed have no field: rollback, as they were.
                cm.MapMember(x => x.ErrorBehaviour).SetElementName("errorBehaviour").SetDefaultValue(CaptureJob.Rollback);
            });
            RegisterRecalls();
            RegisterAudit();
            RegisterProducerUsers();
            RegisterScans();
            Map<ReportDoc>(cm =>
            {
                cm.MapIdMember(x => x.Id);
                cm.MapMember(x => x.CreatedAt).SetElementName("createdAt");
                cm.MapMember(x => x.UpdatedAt).SetElementName("updatedAt");
                cm.MapMember(x => x.Code).SetElementName("code");
                cm.MapMember(x => x.LotKey).SetElementName("lotKey");
                cm.MapMember(x => x.Category).SetElementName("category");
                cm.MapMember(x => x.Message).SetElementName("message");
                cm.MapMember(x => x.ProtectedContact).SetElementName("protectedContact");
                cm.MapMember(x => x.Status).SetElementName("status").SetSerializer(new EnumSerializer<ReportStatus>(BsonType.String));
                cm.MapMember(x => x.Assignee).SetElementName("assignee").SetIgnoreIfNull(true);
                cm.MapMember(x => x.Outcome).SetElementName("outcome").SetIgnoreIfNull(true);
            });
            Map<ReportNoteDoc>(cm =>
            {
                cm.MapIdMember(x => x.Id);
                cm.MapMember(x => x.ReportId).SetElementName("reportId");
                cm.MapMember(x => x.At).SetElementName("at");
                cm.MapMember(x => x.Author).SetElementName("author");
                cm.MapMember(x => x.Text).SetElementName("text");
            });
            Map<InspectionDoc>(cm =>
            {
                cm.MapIdMember(x => x.Id);
                cm.MapMember(x => x.InspectorId).SetElementName("inspectorId");
                cm.MapMember(x => x.CreatedAt).SetElementName("createdAt");
                cm.MapMember(x => x.InspectedAt).SetElementName("inspectedAt");
                cm.MapMember(x => x.Code).SetElementName("code");
                cm.MapMember(x => x.LotKey).SetElementName("lotKey");
                cm.MapMember(x => x.Result).SetElementName("result");
                cm.MapMember(x => x.Notes).SetElementName("notes");
                cm.MapMember(x => x.Latitude).SetElementName("latitude");
                cm.MapMember(x => x.Longitude).SetElementName("longitude");
                // Absent rather than null, so the partial unique index (inspectorId, clientRef) skips it.
                cm.MapMember(x => x.ClientRef).SetElementName("clientRef").SetIgnoreIfNull(true);
                cm.MapMember(x => x.PhotoContentType).SetElementName("photoContentType");
                // Absent until published, so the sparse index holds only the public outcomes.
                cm.MapMember(x => x.PublishedAt).SetElementName("publishedAt").SetIgnoreIfNull(true);
                // Records stored before the field existed have no element: they read as null.
                cm.MapMember(x => x.Place).SetElementName("place").SetIgnoreIfNull(true);
            });
            Map<InspectionPhotoDoc>(cm =>
            {
                cm.MapIdMember(x => x.Id);
                cm.MapMember(x => x.ContentType).SetElementName("contentType");
                cm.MapMember(x => x.Data).SetElementName("data");
            });
            registered = true;
        }
    }

    private static void Map<T>(Action<BsonClassMap<T>> map)
    {
        // A map registered before ours would be the driver's automap (PascalCase names, enums as
        // numbers): fail loudly rather than write documents in another shape.
        if (BsonClassMap.IsClassMapRegistered(typeof(T)))
        {
            throw new InvalidOperationException(
                $"A BSON class map for {typeof(T).Name} was registered before DocumentMappings.Register(); call it before any serialization.");
        }
        BsonClassMap.RegisterClassMap<T>(cm =>
        {
            map(cm);
            // Documents written by a newer version (an added field) must still load.
            cm.SetIgnoreExtraElements(true);
        });
    }
}
