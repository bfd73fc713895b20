global using MongoDB.Bson;
global using MongoDB.Driver;
global using Traceability.Domain.Epcis;
global using Traceability.Storage.Mongo.Documents;
global using Traceability.Storage.Mongo.Queries;
global using Traceability.Storage.Mongo.Setup;
global using Traceability.Storage.Mongo.Outbox;
// The feature stores test for duplicate keys with the context's one definition, unqualified.
global using static Traceability.Storage.Mongo.MongoDatabaseContext;
