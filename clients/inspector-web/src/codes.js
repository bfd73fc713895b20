// What a scanned text names: GTIN (14 digits), lot, serial. Digital Links on any host, or GS1
// element strings "(01)…(10)…(21)…". The server's parser is authoritative; this is only for the
// offline recall check.
export function parseCode(text) {
  const t = (text || '').trim();
  let m = /\/01\/(\d{8,14})(?:\/22\/[^/?#]+)?(?:\/10\/([^/?#]+))?(?:\/21\/([^/?#]+))?/.exec(t);
  if (m) return { gtin: m[1].padStart(14, '0'), lot: dec(m[2]), serial: dec(m[3]) };
  m = /^\(01\)(\d{14})(?:\(17\)\d{6})?(?:\(10\)([^()]+))?(?:\(21\)([^()]+))?/.exec(t);
  if (m) return { gtin: m[1], lot: m[2] || null, serial: m[3] || null };
  m = /^\d{8,14}$/.exec(t);
  if (m) return { gtin: t.padStart(14, '0'), lot: null, serial: null };
  return null;
}

function dec(s) {
  if (s === undefined) return null;
  try { return decodeURIComponent(s); } catch { return s; }
}
