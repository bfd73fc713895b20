// Shards the traceability database on a sharded cluster. Run against a mongos, after the
// services have started once (they create the indexes) or before (shardCollection creates the
// collection and the shard-key index):
//   mongosh "mongodb://mongos1:27017" --file infra/mongo/shard.js
// TRACE_DB overrides the database name (default "traceability", as Storage:Mongo:Database).
// The shard keys below must stay equal to ShardKeys.ByCollection in
// services/Traceability.Storage.Mongo/Setup/Collections.cs (a test compares them).
const dbName = (typeof process !== "undefined" && process.env.TRACE_DB) || "traceability";

sh.enableSharding(dbName);

// Events and scans: hashed lot key. A lot's history is on one shard (the public lookup reads one
// lot), and writes spread evenly however the lots are named.
sh.shardCollection(`${dbName}.events`, { "lotKey": "hashed" });
sh.shardCollection(`${dbName}.scans`, { "lotKey": "hashed" });

// Products: hashed GTIN (the _id), so the unique GTIN stays enforced cluster-wide.
sh.shardCollection(`${dbName}.products`, { "_id": "hashed" });

// Lots: (gtin, lot), ranged, which keeps the unique (gtin, lot) index legal and a product's lots together.
sh.shardCollection(`${dbName}.lots`, { "gtin": 1, "lot": 1 });

// producers, inspectors, apiKeys, locations, captureJobs stay unsharded (small, looked up by _id).
printjson(sh.status());
