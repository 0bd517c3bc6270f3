import type { AdminKeyRepository } from './repositories/admin-keys.js';
import type { CodeMigrationRepository } from './repositories/code-migrations.js';
import type { EmailChangeRepository } from './repositories/email-changes.js';
import type { EmailVerificationRepository } from './repositories/email-verifications.js';
import type { EnrollmentRepository } from './repositories/enrollments.js';
import type { EventRepository } from './repositories/events.js';
import type { FailureCounterRepository } from './repositories/failure-counters.js';
import type { HousekeepingRepository } from './repositories/housekeeping.js';
import type { IdentifierRepository } from './repositories/identifiers.js';
import type { KeyFingerprintRepository } from './repositories/key-fingerprints.js';
import type { MfaTokenRepository } from './repositories/mfa-tokens.js';
import type { NoticeBudgetRepository } from './repositories/notice-budgets.js';
import type { OperatorSettingRepository } from './repositories/operator-settings.js';
import type { OutboxRepository } from './repositories/outbox.js';
import type { PasswordResetRepository } from './repositories/password-resets.js';
import type { ProvenLoginRepository } from './repositories/proven-logins.js';
import type { RecoveryCodeRepository } from './repositories/recovery-codes.js';
import type { RecoveryWindowRepository } from './repositories/recovery-windows.js';
import type { ResetRequestRepository } from './repositories/reset-requests.js';
import type { SessionRepository } from './repositories/sessions.js';
import type { SigningKeyRepository } from './repositories/signing-keys.js';
import type { TotpCredentialRepository } from './repositories/totp-credentials.js';
import type { TrustedDeviceRepository } from './repositories/trusted-devices.js';
import type { UserRepository } from './repositories/users.js';
import type { WebAuthnChallengeRepository } from './repositories/webauthn-challenges.js';
import type { WebAuthnCredentialRepository } from './repositories/webauthn-credentials.js';

/**
 * Every read and write the rules make, one repository per concept. Each method is one
 * statement (or one joined read) at the level of a use case; the rule that decides what to
 * read, write and guard stays in the module that calls it, written once for every database.
 * A single-use change is one guarded UPDATE whose result (changed or not) is returned, so the
 * database, not a read before it, decides which of parallel requests wins.
 */
export interface Repositories {
  readonly users: UserRepository;
  readonly identifiers: IdentifierRepository;
  readonly provenLogins: ProvenLoginRepository;
  readonly totpCredentials: TotpCredentialRepository;
  readonly enrollments: EnrollmentRepository;
  readonly mfaTokens: MfaTokenRepository;
  readonly recoveryCodes: RecoveryCodeRepository;
  readonly recoveryWindows: RecoveryWindowRepository;
  readonly failureCounters: FailureCounterRepository;
  readonly resetRequests: ResetRequestRepository;
  readonly passwordResets: PasswordResetRepository;
  readonly emailVerifications: EmailVerificationRepository;
  readonly emailChanges: EmailChangeRepository;
  readonly sessions: SessionRepository;
  readonly trustedDevices: TrustedDeviceRepository;
  readonly noticeBudgets: NoticeBudgetRepository;
  readonly events: EventRepository;
  readonly outbox: OutboxRepository;
  readonly codeMigrations: CodeMigrationRepository;
  readonly keyFingerprints: KeyFingerprintRepository;
  readonly signingKeys: SigningKeyRepository;
  readonly operatorSettings: OperatorSettingRepository;
  readonly housekeeping: HousekeepingRepository;
  readonly adminKeys: AdminKeyRepository;
  readonly webauthnCredentials: WebAuthnCredentialRepository;
  readonly webauthnChallenges: WebAuthnChallengeRepository;
}

declare const inTransaction: unique symbol;

/**
 * The repositories inside one write transaction. A function that must run inside one takes
 * a `Tx`, so its type says where it runs; one that may run either way takes `Repositories`
 * (a `Store` outside, a `Tx` inside).
 */
export type Tx = Repositories & { readonly [inTransaction]: true };

export type StoreDialect = 'sqlite' | 'postgres';

/**
 * The one seam between the rules and a database. Outside a transaction each repository call
 * is its own statement; use that only to read. Every write goes in `transaction`, even a single
 * statement: that is what `settle` covers (SQLite's group commit counts transactions). Inside `transaction`, use only the `tx` it hands over: the store
 * outside is another connection (PostgreSQL) or waits for the transaction to end (SQLite).
 * A transaction holds its lock until it ends, so it awaits nothing but `tx` calls: slow work
 * (argon2, network) runs before it.
 */
export interface Store extends Repositories {
  readonly dialect: StoreDialect;
  /** Runs `fn` in one write transaction; it commits when `fn` resolves and rolls back when it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Resolves once every transaction committed so far is durable. */
  settle(): Promise<void>;
  /** One round trip to the database: rejects when it cannot answer. */
  ping(): Promise<void>;
  /** Committed migrations the database has not applied (0 once migrated); rejects when it cannot answer. */
  countPendingMigrations(): Promise<number>;
  close(): Promise<void>;
}
