global using MongoDB.Bson;
global using MongoDB.Driver;
global using Traceability.Domain.Epcis;
global using Traceability.Storage.Mongo.Documents;
global using Traceability.Storage.Mongo.Queries;
global using Traceability.Storage.Mongo.Setup;
global using Traceability.Storage.Mongo.Outbox;
