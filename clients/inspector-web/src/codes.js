// What a scanned text names: GTIN (14 digits), lot, serial, printed expiry (AI 17, YYMMDD). Digital
// Links on any host, or GS1 element strings "(01)…(17)…(10)…(21)…", or a bare GTIN. The server's
// parser is authoritative; this serves the offline check only.
export function parseCode(text) {
  const t = (text || '').trim();
  let m = /^(?:https?:\/\/[^/?#]+)?(?:\/[^?#]*)?\/01\/(\d{8,14})(?:\/22\/[^/?#]+)?(?:\/10\/([^/?#]+))?(?:\/21\/([^/?#]+))?\/?(?:\?([^#]*))?/.exec(t);
  if (m) return { gtin: m[1].padStart(14, '0'), lot: dec(m[2]), serial: dec(m[3]), expiry: attribute(m[4], '17') };
  m = /^\(01\)(\d{14})(?:\(17\)(\d{6}))?(?:\(10\)([^()]+))?(?:\(21\)([^()]+))?$/.exec(t);
  if (m) return { gtin: m[1], lot: m[3] || null, serial: m[4] || null, expiry: m[2] || null };
  m = /^\d{8}$|^\d{12,14}$/.exec(t);
  if (m) return { gtin: t.padStart(14, '0'), lot: null, serial: null, expiry: null };
  return null;
}

/**
 * YYMMDD → "YYYY-MM-DD" (DD 00 = the month's last day), as the server reads AI 17
 * (Traceability.Domain ScannedCode.Gs1Date). The century is GS1 General Specifications 7.12's:
 * with B = YY minus the current year's last two digits, B from 51 to 99 is the previous century,
 * B from -99 to -50 the next one, otherwise the current one (49 years back to 50 ahead).
 * @param {number} currentYear defaults to this year in Vietnam (UTC+7)
 */
export function expiryDate(yymmdd, currentYear = new Date(Date.now() + 7 * 3600 * 1000).getUTCFullYear()) {
  if (!/^\d{6}$/.test(yymmdd || '')) return null;
  const yy = Number(yymmdd.slice(0, 2)), mo = Number(yymmdd.slice(2, 4));
  if (mo < 1 || mo > 12) return null;
  const b = yy - currentYear % 100;
  const y = currentYear - currentYear % 100 + yy + (b >= 51 ? -100 : b <= -50 ? 100 : 0);
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  let d = Number(yymmdd.slice(4, 6));
  if (d === 0) d = last;
  if (d > last) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function attribute(query, key) {
  for (const pair of (query || '').split('&')) {
    const [k, v] = pair.split('=');
    if (k === key) return v || null;
  }
  return null;
}

function dec(s) {
  if (s === undefined) return null;
  try { return decodeURIComponent(s); } catch { return s; }
}
