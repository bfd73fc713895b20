// The offline verdict: what the app can prove without the network, in the server's precedence
// (services/Traceability.Domain/Verification/VerdictRules.cs). Offline the app knows the published
// keys and the recall list only, so it can say invalid_signature, recalled, expired (the printed
// date), authentic (a valid signature: only issued serials are ever signed) — and otherwise
// "unverified": registration, suspension and clone signals need the server. Never "registered".
import { parseCode, expiryDate } from './codes.js';
import { checkSignature } from './signature.js';

/**
 * @param {string} code the scanned text
 * @param {{keys?: object, warnings?: object, today?: string}} data cached keys and warnings;
 *   today as YYYY-MM-DD in Vietnam time
 */
export async function offlineVerdict(code, data) {
  const sig = await checkSignature(code, data.keys);
  if (sig.present && !sig.valid) return { verdict: 'invalid_signature', reasons: [{ code: 'signature_invalid_offline' }] };
  const id = parseCode(code);
  if (!id) return { verdict: 'invalid_code', reasons: [{ code: 'invalid_code_offline' }] };
  const warnings = (data.warnings || {}).warnings || [];
  if (id.lot && warnings.some(w => w.gtin === id.gtin && (w.lots || []).some(l => l.lot === id.lot)))
    return { verdict: 'recalled', reasons: [{ code: 'recalled_offline' }], id };
  const expiry = expiryDate(id.expiry, data.today ? Number(data.today.slice(0, 4)) : undefined);
  if (expiry && data.today && expiry < data.today) return { verdict: 'expired', reasons: [{ code: 'expired_offline' }], id };
  if (sig.present && id.serial) return { verdict: 'authentic', reasons: [{ code: 'signature_valid_offline' }], id };
  return { verdict: 'unverified', reasons: [{ code: 'no_signature_offline' }], id };
}

/** Today in Vietnam (UTC+7, no daylight saving) as YYYY-MM-DD. */
export function todayInVietnam(now = new Date()) {
  return new Date(now.getTime() + 7 * 3600 * 1000).toISOString().slice(0, 10);
}
