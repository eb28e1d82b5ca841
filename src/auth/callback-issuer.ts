/**
 * RFC 9207: an authorization response may name the authorization server that issued it (`iss`). When it
 * does, it must be the one we sent the person to — else the code came from another server (a mix-up
 * attack) and is not redeemed. Where the issuer is known (discovery, or the row, as Fastmail's) it must
 * match exactly; otherwise `iss` must share the authorization endpoint's origin (what Thunderbird's
 * OAuth2.sys.mjs `checkResultURL` does). An absent `iss` is accepted: most servers never send one.
 */
export type CallbackIssuer = { kind: 'ok' } | { kind: 'other-server'; got: string; want: string };

export function checkCallbackIssuer(iss: string | undefined, expected: { issuer?: string; authorizationEndpoint: string }): CallbackIssuer {
  if (iss === undefined) return { kind: 'ok' };
  if (expected.issuer) return iss === expected.issuer ? { kind: 'ok' } : { kind: 'other-server', got: iss, want: expected.issuer };
  const want = new URL(expected.authorizationEndpoint).origin;
  let got: string;
  try {
    got = new URL(iss).origin;
  } catch {
    return { kind: 'other-server', got: iss, want };
  }
  return got === want ? { kind: 'ok' } : { kind: 'other-server', got: iss, want };
}
