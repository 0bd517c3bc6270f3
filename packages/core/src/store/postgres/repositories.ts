import type { Repositories } from '../store.js';
import { PostgresAdminKeyRepository } from './admin-keys.js';
import { PostgresCodeMigrationRepository } from './code-migrations.js';
import type { PgDb } from './db.js';
import { PostgresEmailChangeRepository } from './email-changes.js';
import { PostgresEmailVerificationRepository } from './email-verifications.js';
import { PostgresEnrollmentRepository } from './enrollments.js';
import { PostgresEventRepository } from './events.js';
import { PostgresFailureCounterRepository } from './failure-counters.js';
import { PostgresHousekeepingRepository } from './housekeeping.js';
import { PostgresIdentifierRepository } from './identifiers.js';
import { PostgresKeyFingerprintRepository } from './key-fingerprints.js';
import { PostgresMfaTokenRepository } from './mfa-tokens.js';
import { PostgresNoticeBudgetRepository } from './notice-budgets.js';
import { PostgresOperatorSettingRepository } from './operator-settings.js';
import { PostgresOutboxRepository } from './outbox.js';
import { PostgresPasswordResetRepository } from './password-resets.js';
import { PostgresProvenLoginRepository } from './proven-logins.js';
import { PostgresRecoveryCodeRepository } from './recovery-codes.js';
import { PostgresRecoveryWindowRepository } from './recovery-windows.js';
import { PostgresResetRequestRepository } from './reset-requests.js';
import { PostgresSessionRepository } from './sessions.js';
import { PostgresSigningKeyRepository } from './signing-keys.js';
import { PostgresTotpCredentialRepository } from './totp-credentials.js';
import { PostgresTrustedDeviceRepository } from './trusted-devices.js';
import { PostgresUserRepository } from './users.js';
import { PostgresWebAuthnChallengeRepository } from './webauthn-challenges.js';
import { PostgresWebAuthnCredentialRepository } from './webauthn-credentials.js';

/**
 * The PostgreSQL repositories over `db`: the pool (each call takes a connection) or one
 * transaction's connection. Cheap to build: one set per transaction.
 */
export function createPostgresRepositories(db: PgDb): Repositories {
  return {
    users: new PostgresUserRepository(db),
    identifiers: new PostgresIdentifierRepository(db),
    provenLogins: new PostgresProvenLoginRepository(db),
    totpCredentials: new PostgresTotpCredentialRepository(db),
    enrollments: new PostgresEnrollmentRepository(db),
    mfaTokens: new PostgresMfaTokenRepository(db),
    recoveryCodes: new PostgresRecoveryCodeRepository(db),
    recoveryWindows: new PostgresRecoveryWindowRepository(db),
    failureCounters: new PostgresFailureCounterRepository(db),
    resetRequests: new PostgresResetRequestRepository(db),
    passwordResets: new PostgresPasswordResetRepository(db),
    emailVerifications: new PostgresEmailVerificationRepository(db),
    emailChanges: new PostgresEmailChangeRepository(db),
    sessions: new PostgresSessionRepository(db),
    trustedDevices: new PostgresTrustedDeviceRepository(db),
    noticeBudgets: new PostgresNoticeBudgetRepository(db),
    events: new PostgresEventRepository(db),
    outbox: new PostgresOutboxRepository(db),
    codeMigrations: new PostgresCodeMigrationRepository(db),
    keyFingerprints: new PostgresKeyFingerprintRepository(db),
    signingKeys: new PostgresSigningKeyRepository(db),
    operatorSettings: new PostgresOperatorSettingRepository(db),
    housekeeping: new PostgresHousekeepingRepository(db),
    adminKeys: new PostgresAdminKeyRepository(db),
    webauthnCredentials: new PostgresWebAuthnCredentialRepository(db),
    webauthnChallenges: new PostgresWebAuthnChallengeRepository(db),
  };
}
