import type { Repositories } from '../store.js';
import { SqliteAdminKeyRepository } from './admin-keys.js';
import { SqliteCodeMigrationRepository } from './code-migrations.js';
import { SqliteEmailChangeRepository } from './email-changes.js';
import { SqliteEmailVerificationRepository } from './email-verifications.js';
import { SqliteEnrollmentRepository } from './enrollments.js';
import { SqliteEventRepository } from './events.js';
import { SqliteFailureCounterRepository } from './failure-counters.js';
import { SqliteHousekeepingRepository } from './housekeeping.js';
import { SqliteIdentifierRepository } from './identifiers.js';
import { SqliteKeyFingerprintRepository } from './key-fingerprints.js';
import { SqliteMfaTokenRepository } from './mfa-tokens.js';
import { SqliteNoticeBudgetRepository } from './notice-budgets.js';
import type { Db } from './open.js';
import { SqliteOperatorSettingRepository } from './operator-settings.js';
import { SqliteOutboxRepository } from './outbox.js';
import { SqlitePasswordResetRepository } from './password-resets.js';
import { SqliteProvenLoginRepository } from './proven-logins.js';
import { SqliteRecoveryCodeRepository } from './recovery-codes.js';
import { SqliteRecoveryWindowRepository } from './recovery-windows.js';
import { SqliteResetRequestRepository } from './reset-requests.js';
import { SqliteSessionRepository } from './sessions.js';
import { SqliteSigningKeyRepository } from './signing-keys.js';
import { SqliteTotpCredentialRepository } from './totp-credentials.js';
import { SqliteTrustedDeviceRepository } from './trusted-devices.js';
import { SqliteUserRepository } from './users.js';
import { SqliteWebAuthnChallengeRepository } from './webauthn-challenges.js';
import { SqliteWebAuthnCredentialRepository } from './webauthn-credentials.js';

/** The SQLite repositories on one connection; they prepare their statements once, on first use. */
export function createSqliteRepositories(db: Db): Repositories {
  return {
    users: new SqliteUserRepository(db),
    identifiers: new SqliteIdentifierRepository(db),
    provenLogins: new SqliteProvenLoginRepository(db),
    totpCredentials: new SqliteTotpCredentialRepository(db),
    enrollments: new SqliteEnrollmentRepository(db),
    mfaTokens: new SqliteMfaTokenRepository(db),
    recoveryCodes: new SqliteRecoveryCodeRepository(db),
    recoveryWindows: new SqliteRecoveryWindowRepository(db),
    failureCounters: new SqliteFailureCounterRepository(db),
    resetRequests: new SqliteResetRequestRepository(db),
    passwordResets: new SqlitePasswordResetRepository(db),
    emailVerifications: new SqliteEmailVerificationRepository(db),
    emailChanges: new SqliteEmailChangeRepository(db),
    sessions: new SqliteSessionRepository(db),
    trustedDevices: new SqliteTrustedDeviceRepository(db),
    noticeBudgets: new SqliteNoticeBudgetRepository(db),
    events: new SqliteEventRepository(db),
    outbox: new SqliteOutboxRepository(db),
    codeMigrations: new SqliteCodeMigrationRepository(db),
    keyFingerprints: new SqliteKeyFingerprintRepository(db),
    signingKeys: new SqliteSigningKeyRepository(db),
    operatorSettings: new SqliteOperatorSettingRepository(db),
    housekeeping: new SqliteHousekeepingRepository(db),
    adminKeys: new SqliteAdminKeyRepository(db),
    webauthnCredentials: new SqliteWebAuthnCredentialRepository(db),
    webauthnChallenges: new SqliteWebAuthnChallengeRepository(db),
  };
}
