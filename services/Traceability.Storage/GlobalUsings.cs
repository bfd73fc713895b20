global using Traceability.Domain.Epcis;
// The SQLite feature stores use the database's small value helpers (Ms, FromMs, Db, Execute, Scalar) unqualified.
global using static Traceability.Storage.Sqlite.SqliteDatabase;
