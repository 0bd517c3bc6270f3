import { nowSeconds } from '../clock.js';
import type { Core } from '../context.js';
import type { Session } from '../session/freshness.js';
import type { User } from '../users/find.js';

/**
 * A session that has just proven the password and a second factor (a full login now), for
 * functions that read only its proofs; it has no session row.
 */
export function freshSession(core: Core, user: User): Session {
  const nowSec = nowSeconds(core.clock);
  return { id: 'no-session-row', user, proofs: { passwordAtSec: nowSec, secondFactorAtSec: nowSec } };
}
