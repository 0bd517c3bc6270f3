import type { Clock } from '../clock.js';
import type { Store } from '../store/store.js';
import type { MfaRequirement, RequireMfaMode } from './policy.js';

const SETTING_NAME = 'require_mfa';

/**
 * Called at start, before the first request: the grace period counts from the first start with
 * the requirement on (docs/contract.md § Required MFA), which every instance on the database
 * shares; a start with it off forgets that moment, so turning it on again grants a new grace.
 * Answers the requirement for `CoreConfig.requireMfa` (undefined when off).
 */
export async function recordMfaRequirement(
  store: Store,
  clock: Clock,
  setting: { mode: RequireMfaMode; graceDays: number },
): Promise<MfaRequirement | undefined> {
  if (setting.mode === 'off') {
    await store.transaction((tx) => tx.operatorSettings.remove(SETTING_NAME));
    return undefined;
  }
  const row = await store.transaction((tx) =>
    tx.operatorSettings.recordValue({ name: SETTING_NAME, value: setting.mode, sinceMs: clock.now() }),
  );
  return { graceDays: setting.graceDays, sinceMs: row.sinceMs };
}
