// Initiates the three-member replica set (idempotent: does nothing when it is already initiated).
//   mongosh "mongodb://mongo1:27017/?directConnection=true" --file infra/mongo/rs-init.js
// RS_NAME (default rs0) and RS_HOSTS (default "mongo1:27017,mongo2:27018,mongo3:27019", the names
// of docker-compose.yml) override the set. The first host gets the highest priority, so it is
// the primary in normal operation; all three are electable data-bearing members (no arbiter:
// with an arbiter, w:majority writes stall when one data member is down).
const env = (typeof process !== "undefined" && process.env) || {};
const name = env.RS_NAME || "rs0";
const hosts = (env.RS_HOSTS || "mongo1:27017,mongo2:27018,mongo3:27019").split(",").map(h => h.trim()).filter(h => h);

let initiated = false;
try {
  initiated = rs.status().ok === 1;
} catch (e) {
  // NotYetInitialized (94): the set has no configuration yet.
  if (e.code !== 94 && !/no replset config/i.test(String(e.message))) throw e;
}

if (initiated) {
  print(`replica set ${name} is already initiated`);
} else {
  rs.initiate({
    _id: name,
    members: hosts.map((host, i) => ({ _id: i, host, priority: i === 0 ? 2 : 1 })),
  });
  print(`initiated replica set ${name}: ${hosts.join(", ")}`);
}

// Wait (up to 60 s) for a primary, so that whatever runs next can write.
for (let i = 0; i < 60; i++) {
  const primary = rs.status().members.find(m => m.stateStr === "PRIMARY");
  if (primary) { print(`primary: ${primary.name}`); break; }
  sleep(1000);
}
