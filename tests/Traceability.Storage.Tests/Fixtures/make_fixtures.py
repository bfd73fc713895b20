#!/usr/bin/env python3
"""Makes Fixtures/schema-NNNN/traceability.db: a small data directory at each earlier schema version.

Each released schema is the migration scripts up to it (migrations are forward-only and never edited
once released), so a fixture is built by running scripts 0001..N exactly as SqliteMigrations does
(recording schema_migrations and PRAGMA user_version), then inserting the rows a user of that
release could have made: a producer, a product, a lot, three events, their outbox rows, and (from
the schema that has them) a scan, a recall, a serial and a consumer report.
Run from the repository root:  python3 tests/Traceability.Storage.Tests/Fixtures/make_fixtures.py
Only the newest migration is left out (the current schema needs no fixture); re-run when one is added.
"""
import json, os, pathlib, re, sqlite3

root = pathlib.Path(__file__).resolve().parents[3]
migrations = sorted((root / "services/Traceability.Storage/Sqlite/Migrations").glob("*.sql"))
out = pathlib.Path(__file__).resolve().parent
T0 = 1767225600000  # 2026-01-01T00:00:00Z in unix ms
GTIN, LOT, PRODUCER = "08930000000019", "CAM-2025-12", "p-fixture"
LOT_KEY = f"01/{GTIN}/10/{LOT}"

def seed(db, names):
    def x(sql, values=()):
        m = re.match(r"INSERT INTO (\w+) VALUES \((.*)\)$", sql)
        if m:
            # Columns that later migrations added come last (ALTER TABLE ADD COLUMN): name the first ones.
            cols = [r[1] for r in db.execute(f"PRAGMA table_info({m.group(1)})")][:len(m.group(2).split(","))]
            sql = f"INSERT INTO {m.group(1)} ({','.join(cols)}) VALUES ({m.group(2)})"
        return db.execute(sql, values)
    x("INSERT INTO producers VALUES (?,?,?,?,?,?,?,?,?,0,?)", (PRODUCER, "HTX Cam sành Hàm Yên", "5000000001",
      "Thôn 4, xã Phù Lưu", "Tuyên Quang", None, json.dumps(["893000000"]), "0900000000", "htx@example.vn", T0))
    x("INSERT INTO products VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", (GTIN, PRODUCER, "Cam sành Hàm Yên", "Ham Yen orange",
      "Hàm Yên", None, "fruit", None, None, json.dumps(["VietGAP"]), "kg", T0, T0))
    x("INSERT INTO lots VALUES (?,?,?,?,?,?,?,?,?)", (GTIN, LOT, PRODUCER, "2025-12-01", "2026-02-28", "1200", "kg", None, T0))
    for i, step in enumerate(["commissioning", "packing", "shipping"]):
        event_id = f"urn:uuid:00000000-0000-4000-8000-00000000000{i + 1}"
        when = T0 + i * 86_400_000
        doc = {"type": "ObjectEvent", "eventID": event_id, "eventTime": "2026-01-0%dT00:00:00.000Z" % (i + 1),
               "eventTimeZoneOffset": "+07:00", "action": "OBSERVE", "bizStep": step,
               "quantityList": [{"epcClass": f"https://id.gs1.org/01/{GTIN}/10/{LOT}", "quantity": 100, "uom": "KGM"}]}
        x("INSERT INTO events (event_id, producer_id, event_type, event_time, record_time, action, biz_step, json, keys, capture_id) "
          "VALUES (?,?,?,?,?,?,?,?,?,?)", (event_id, PRODUCER, "ObjectEvent", when, when, "OBSERVE", step,
          json.dumps(doc), json.dumps([["Lot", LOT_KEY]]), "c1"))
        seq = db.execute("SELECT seq FROM events WHERE event_id = ?", (event_id,)).fetchone()[0]
        x("INSERT INTO event_keys VALUES (?,?,?)", (LOT_KEY, "Lot", seq))
    outbox = [("Product", GTIN, None, None), ("Lot", LOT_KEY, "Product", GTIN)]
    cols = [r[1] for r in db.execute("PRAGMA table_info(outbox)")]
    for kind, key, dep_kind, dep_key in outbox:
        row = {"kind": kind, "key": key, "state": "Synced", "attempts": 1, "created_at": T0, "updated_at": T0,
               "next_attempt_at": T0, "portal_id": "P-" + kind, "depends_on_kind": dep_kind, "depends_on_key": dep_key}
        row = {k: v for k, v in row.items() if k in cols}
        x(f"INSERT INTO outbox ({','.join(row)}) VALUES ({','.join('?' * len(row))})", tuple(row.values()))
    if "scans" in names:
        x("INSERT INTO scans (time, lot_key, serial, province, ua_class) VALUES (?,?,?,?,?)", (T0, LOT_KEY, None, "Hà Nội", "mobile"))
    if "recalls" in names:
        x("INSERT INTO recalls VALUES (?,?,?,?,?,?,?,NULL)", ("r-fixture", GTIN, "Nhiễm nấm mốc", "high", "admin", None, T0))
        x("INSERT INTO recall_lots VALUES (?,?,?,0)", ("r-fixture", GTIN, LOT))
    if "serials" in names:
        x("INSERT INTO serials VALUES (?,?,?,?,?)", (GTIN, LOT, "S1", "k-fixture", T0))
    if "reports" in names:
        x("INSERT INTO reports VALUES (?,?,?,?,?,?,?,NULL,?)", ("rep-fixture", T0, T0, None, LOT_KEY, "quality", "Cam bị dập", "new"))

for n in range(1, len(migrations)):
    applied = migrations[:n]
    target = out / f"schema-{applied[-1].stem[:4]}" / "traceability.db"
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists(): target.unlink()
    db = sqlite3.connect(target, isolation_level=None)
    db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL);")
    for m in applied:
        db.executescript(m.read_text(encoding="utf-8"))
        db.execute("INSERT INTO schema_migrations VALUES (?, ?)", (m.stem, T0))
        db.execute(f"PRAGMA user_version = {int(m.stem[:4])}")
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    db.execute("BEGIN"); seed(db, names); db.execute("COMMIT")
    db.execute("VACUUM"); db.close()
    print(target.relative_to(root), os.path.getsize(target), "bytes")
