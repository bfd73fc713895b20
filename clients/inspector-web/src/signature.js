// Offline check of a signed label, with only the published keys
// (GET /.well-known/traceability-keys). Format (services/Lookup.Api/Signing/LabelSignature.cs):
//   {link}?sig={kid}.{base64url(ECDSA P-256 / SHA-256 signature, IEEE P1363 r||s, 64 bytes)}
// (or &sig= when the link already has a query); the signed message is the UTF-8 text of the link
// exactly as printed, up to the "?" or "&" before "sig=". WebCrypto's ECDSA uses the same r||s form.

/** { present:false } | { present:true, valid, kid, reason } */
export async function checkSignature(text, jwks) {
  const at = Math.max(text.lastIndexOf('?sig='), text.lastIndexOf('&sig='));
  if (at < 0) return { present: false };
  const message = text.slice(0, at);
  const value = text.slice(at + 5);
  const dot = value.indexOf('.');
  const signature = dot > 0 && !/[&#?]/.test(value) ? decodeStrict(value.slice(dot + 1)) : null;
  if (!signature || signature.length !== 64) return { present: true, valid: false, kid: null, reason: 'malformed' };
  const kid = value.slice(0, dot);
  const jwk = ((jwks && jwks.keys) || []).find(k => k.kid === kid && k.kty === 'EC' && k.crv === 'P-256');
  if (!jwk) return { present: true, valid: false, kid, reason: 'unknown_key' };
  try {
    const key = await crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, ext: true },
      { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    const ok = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, new TextEncoder().encode(message));
    return { present: true, valid: ok, kid, reason: ok ? null : 'mismatch' };
  } catch {
    return { present: true, valid: false, kid, reason: 'bad_key' };
  }
}

// base64url without padding, rejecting every non-canonical form (as the server does).
function decodeStrict(text) {
  if (!/^[A-Za-z0-9_-]+$/.test(text) || text.length % 4 === 1) return null;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  let bin;
  try { bin = atob(b64); } catch { return null; }
  const bytes = Uint8Array.from(bin, c => c.charCodeAt(0));
  const again = btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return again === text ? bytes : null;
}
