import type { CoreConfig } from '../context.js';

/** Who the browser signs for: the RP ID (a host) and the one origin accepted in clientDataJSON. */
export interface RelyingParty {
  id: string;
  name: string;
  origin: string;
}

/** From PUBLIC_URL (docs/contract.md § WebAuthn): its origin, and its host unless WEBAUTHN_RP_ID is set. */
export function relyingPartyOf(config: CoreConfig): RelyingParty {
  const url = new URL(config.publicUrl);
  return { id: config.webauthnRpId ?? url.hostname, name: config.issuer, origin: url.origin };
}
