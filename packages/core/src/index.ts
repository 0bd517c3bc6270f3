export {
  type AdminActor,
  clearLockoutsForAdmin,
  disableUserForAdmin,
  enableUserForAdmin,
  endSessionsForAdmin,
  findUserForAdmin,
  listUserEventsForAdmin,
  resetMfaForAdmin,
  type TAdminUser,
  ZAdminDone,
  ZAdminSecurityEvent,
  ZAdminSecurityEventList,
  ZAdminUser,
  ZAdminUserQuery,
  ZClearedLockouts,
} from './admin/actions.js';
export {
  type AdminKey,
  authenticateAdminKey,
  type CreateAdminKeyInput,
  createAdminKey,
  listAdminKeys,
  revokeAdminKey,
} from './admin/keys.js';
export { ADMIN_SCOPES, type AdminScope, isAdminScope } from './admin/scopes.js';
export {
  loginWithPassword,
  type TLoginInput,
  type TLoginResult,
  ZLoginInput,
  ZLoginResult,
} from './auth/login.js';
export { type LoginDevice, PROVEN_LOGIN_TTL_SECONDS } from './auth/proven-login.js';
export {
  reauthenticate,
  type TReauthInput,
  ZReauthInput,
} from './auth/reauthenticate.js';
export { type Clock, nowSeconds, systemClock } from './clock.js';
export { type Core, type CoreConfig, type CoreDeps, createCore, type RequestMeta } from './context.js';
export { CHECKED_KEYS, type CheckedKey, checkKeys, KeyMismatchError } from './crypto/key-check.js';
export {
  BIND_CIPHERTEXTS_MIGRATION,
  type ResealResult,
  resealUnboundCiphertexts,
} from './crypto/reseal.js';
export {
  ARGON2_OPTIONS,
  type Argon2Cost,
  SLOW_HASH_MAX_PENDING_PER_ADDRESS,
  SLOW_HASH_MAX_WAITING,
  SLOW_HASH_RETRY_AFTER_SECONDS,
  type SlowHashLimits,
  SlowHashQueue,
  slowHashLimitsFor,
} from './crypto/slow-hash.js';
export { deriveTokenHashKey } from './crypto/token-hash.js';
export { EMAIL_CHANGE_UNDO_DAYS } from './email-change/confirm.js';
export { requestEmailChange, type TChangeEmailInput, ZChangeEmailInput } from './email-change/request.js';
export { type TUndoEmailChangeInput, undoEmailChange, ZUndoEmailChangeInput } from './email-change/undo.js';
export {
  EMAIL_VERIFICATION_INTERVAL_SECONDS,
  EMAIL_VERIFICATION_TTL_SECONDS,
  sendEmailVerification,
  type TSendEmailVerificationInput,
  ZSendEmailVerificationInput,
} from './email-verification/send.js';
export {
  emailVerificationStatus,
  type TEmailVerificationStatus,
  ZEmailVerificationStatus,
} from './email-verification/status.js';
export {
  type TVerifyEmailCodeInput,
  type TVerifyEmailTokenInput,
  verifyEmailWithCode,
  verifyEmailWithToken,
  ZVerifyEmailCodeInput,
  ZVerifyEmailTokenInput,
} from './email-verification/verify.js';
export {
  DomainError,
  ERROR_CODES,
  ERROR_MESSAGES,
  type ErrorCode,
  isDomainError,
  type LockoutDetails,
} from './errors.js';
export {
  listSecurityEvents,
  SECURITY_EVENTS_PAGE_SIZE,
  type TSecurityEventList,
  ZSecurityEvent,
  ZSecurityEventList,
} from './events/list.js';
export { SECURITY_EVENT_TYPES, type SecurityEventType } from './events/record.js';
export { checkReadiness, pingDatabase, type Readiness } from './health/check-readiness.js';
export {
  FAILURE_COUNTER_RETENTION_SECONDS,
  HOUSEKEEPING_BATCH_ROWS,
  type PurgeCounts,
  type PurgeExpiredOptions,
  purgeExpired,
  SECURITY_EVENTS_RETENTION_DAYS,
} from './housekeeping/purge-expired.js';
export { type MailBacklog, readMailBacklog } from './mail/backlog.js';
export {
  type ClaimDueMailOptions,
  type ClaimDueMailResult,
  type ClaimedMail,
  claimDueMail,
} from './mail/claim-due.js';
export {
  classifyMailFailure,
  MAIL_DELIVERY_WINDOW_MS,
  MAIL_LEASE_MS,
  MAIL_RETRY_BASE_DELAY_MS,
  MAIL_RETRY_MAX_DELAY_MS,
  MAIL_SEND_TIMEOUT_MS,
  type MailFailureKind,
  type MailSendFailure,
  retryDelayMs,
} from './mail/delivery-policy.js';
export { type DevMailboxConditions, isDevMailboxAllowed } from './mail/dev-mailbox.js';
export {
  DEV_MAILBOX_LIMIT,
  listDevMail,
  type TDevMailbox,
  type TDevMailMessage,
  ZDevMailbox,
  ZDevMailMessage,
} from './mail/list-dev-mail.js';
export { type MarkMailFailedResult, markMailFailed } from './mail/mark-failed.js';
export { markMailSent } from './mail/mark-sent.js';
export { MAIL_KINDS, type MailKind, type MailMessage, type RenderedMail } from './mail/messages.js';
export {
  MAIL_PURGE_BATCH_ROWS,
  MAIL_RETENTION_MS,
  type PurgeOldMailOptions,
  purgeOldMail,
} from './mail/purge-old.js';
export { authenticateMfa, type TAuthMfaInput, ZAuthMfaInput } from './mfa/authenticate.js';
export { disableMfa, type TDisableMfaInput, ZDisableMfaInput } from './mfa/disable.js';
export { enableMfa, type TEnableMfaInput, ZEnableMfaInput } from './mfa/enable.js';
export {
  ENROLLMENT_TTL_SECONDS,
  generateMfa,
  type TGenerateMfaResult,
  ZGenerateMfaResult,
} from './mfa/generate.js';
export {
  RECOVERY_WINDOW_SECONDS,
  recoverWithCode,
  type TRecoverMfaInput,
  type TRecoverMfaResult,
  ZRecoverMfaInput,
  ZRecoverMfaResult,
} from './mfa/recover.js';
export { assertMfaEnrollmentNotRequired } from './mfa-requirement/assert.js';
export {
  MAX_MFA_GRACE_DAYS,
  type MfaRequirement,
  REQUIRE_MFA_MODES,
  type RequireMfaMode,
} from './mfa-requirement/policy.js';
export { recordMfaRequirement } from './mfa-requirement/record-start.js';
export { type MfaRequirementStatus, mfaRequirementOf } from './mfa-requirement/status.js';
export { MFA_TOKEN_MAX_FAILURES } from './mfa-token/consume.js';
export { MFA_TOKEN_TTL_SECONDS } from './mfa-token/issue.js';
export { PASSWORD_RESET_CODE_LENGTH } from './password-reset/codes.js';
export { resetPassword, type TResetPasswordInput, ZResetPasswordInput } from './password-reset/complete.js';
export {
  PASSWORD_RESET_MAX_FAILURES,
  PASSWORD_RESET_MAX_LIVE,
  PASSWORD_RESET_TTL_SECONDS,
} from './password-reset/live-request.js';
export {
  PASSWORD_RESET_INTERVAL_SECONDS,
  PASSWORD_RESETS_PER_DAY,
  requestPasswordReset,
  type TRequestPasswordResetInput,
  ZRequestPasswordResetInput,
} from './password-reset/request.js';
export { cryptoRandom, type Random } from './random.js';
export { RECOVERY_CODE_COUNT, RECOVERY_CODE_LENGTH } from './recovery-codes/constants.js';
export { normalizeRecoveryCode, ZRecoveryCode } from './recovery-codes/normalize.js';
export {
  regenerateRecoveryCodes,
  type TRegenerateRecoveryCodesResult,
  ZRegenerateRecoveryCodesResult,
} from './recovery-codes/regenerate.js';
export {
  RECOVERY_CODES_LOW,
  recoveryCodesStatus,
  type TRecoveryCodesStatus,
  ZRecoveryCodesStatus,
} from './recovery-codes/status.js';
export { RESET_CODE_ALPHABET, RESET_CODE_LENGTH, ZResetCode } from './reset/codes.js';
export { RESET_REQUEST_MAX_FAILURES, RESET_REQUEST_MAX_LIVE } from './reset/live-request.js';
export {
  RESET_REQUEST_INTERVAL_SECONDS,
  RESET_REQUEST_TTL_SECONDS,
  RESET_REQUESTS_PER_DAY,
  requestMfaReset,
  type TRequestResetInput,
  type TRequestResetResult,
  ZRequestResetInput,
  ZRequestResetResult,
} from './reset/request.js';
export { resetMfa, type TResetMfaInput, ZResetMfaInput } from './reset/reset.js';
export { authenticateSession, readSession } from './session/authenticate.js';
export {
  endOtherSessions,
  endSession,
  logout,
  ZEndOtherSessionsResult,
  ZEndSessionInput,
} from './session/end.js';
export {
  assertFreshSession,
  FRESH_SESSION_MAX_AGE_SECONDS,
  type Session,
} from './session/freshness.js';
export {
  introspectSession,
  type TIntrospectInput,
  type TSessionIntrospection,
  ZIntrospectInput,
  ZSessionIntrospection,
} from './session/introspect.js';
export { JWKS_MAX_AGE_SECONDS, publishedJwks } from './session/jwks.js';
export { SESSION_TTL_SECONDS, type SessionProofs } from './session/jwt.js';
export { listSessions, ZSessionList } from './session/list.js';
export { DEFAULT_ROTATION_DAYS, type PublicSigningJwk } from './session/signing-keys.js';
export {
  COPIED_TABLES,
  type CopyOptions,
  type CopyProgress,
  type CopyResult,
  CopyTargetNotEmptyError,
  copySqliteToPostgres,
} from './store/copy-sqlite-to-postgres.js';
export { migratePostgres } from './store/postgres/migrate.js';
export { openPostgresStore, type PostgresStore, type PostgresStoreOptions } from './store/postgres/store.js';
export {
  type BackupOptions,
  type BackupProgress,
  type BackupResult,
  BackupTargetExistsError,
  backupSqliteDatabase,
} from './store/sqlite/backup.js';
export { settleCommits } from './store/sqlite/durable-commits.js';
export { IdentifierCollisionError } from './store/sqlite/identifier-collisions.js';
export { migrateDatabase } from './store/sqlite/migrate.js';
export { closeDatabase, type Db, openDatabase } from './store/sqlite/open.js';
export * as schema from './store/sqlite/schema/index.js';
export {
  openSqliteStore,
  type SqliteStore,
  type SqliteStoreOptions,
  sqliteStoreOn,
} from './store/sqlite/store.js';
export type { Repositories, Store, StoreDialect, Tx } from './store/store.js';
export { isStoreUnavailable } from './store/unavailable.js';
export { RECOVER_POLICY, RESET_POLICY } from './throttle/anonymous-second-factor.js';
export {
  IDENTIFIER_PROBE_POLICY,
  LOGIN_ADDRESS_POLICY,
  PASSWORD_POLICY,
  SECOND_FACTOR_POLICY,
  type ThrottlePolicy,
} from './throttle/failure-counter.js';
export { TOTP_DIGITS, TOTP_PERIOD_SECONDS } from './totp/constants.js';
export { generateTotpCode, timeStepAt } from './totp/generate-code.js';
export { buildKeyUri } from './totp/key-uri.js';
export { ZTotpCode } from './totp/schemas.js';
export { verifyTotp } from './totp/verify-totp.js';
export { listTrustedDevices, ZTrustedDeviceList } from './trusted-devices/list.js';
export { revokeTrustedDevice, ZRevokeTrustedDeviceInput } from './trusted-devices/revoke.js';
export { TRUSTED_DEVICE_TTL_SECONDS, type TrustedBrowser } from './trusted-devices/token.js';
export { deleteAccount, type TDeleteAccountInput, ZDeleteAccountInput } from './users/delete-account.js';
export { exportAccount, type TAccountExport, ZAccountExport } from './users/export.js';
export type { User } from './users/find.js';
export { registerUser, type TRegisterInput, ZRegisterInput } from './users/register.js';
export {
  type TUserAuth,
  type TUserProfile,
  ZEmail,
  ZIdentifier,
  ZName,
  ZPassword,
  ZUserAuth,
  ZUsername,
  ZUserProfile,
} from './users/schemas.js';
export {
  type TUpdateUserInput,
  type TUpdateUserResult,
  updateUser,
  ZUpdateUserInput,
  ZUpdateUserResult,
} from './users/update.js';
export { toUserProfile } from './users/user-auth.js';
export { WEBAUTHN_CHALLENGE_TTL_SECONDS } from './webauthn/challenges.js';
export {
  listWebAuthnCredentials,
  removeWebAuthnCredential,
  type TRemoveWebAuthnInput,
  type TUpdateWebAuthnInput,
  type TWebAuthnCredentialList,
  updateWebAuthnCredential,
  ZRemoveWebAuthnInput,
  ZUpdateWebAuthnBody,
  ZUpdateWebAuthnInput,
  ZWebAuthnCredentialList,
} from './webauthn/manage.js';
export {
  loginWithPasskey,
  PASSKEY_LOGIN_POLICY,
  startPasskeyLogin,
  type TPasskeyLoginInput,
  ZPasskeyLoginInput,
} from './webauthn/passwordless.js';
export { startWebAuthnReauth } from './webauthn/reauth-options.js';
export {
  registerWebAuthnCredential,
  type TRegisterWebAuthnInput,
  type TRegisterWebAuthnResult,
  ZRegisterWebAuthnInput,
  ZRegisterWebAuthnResult,
} from './webauthn/register.js';
export {
  startWebAuthnRegistration,
  type TWebAuthnRegistrationOptions,
  ZWebAuthnRegistrationOptions,
} from './webauthn/registration-options.js';
export { type RelyingParty, relyingPartyOf } from './webauthn/relying-party.js';
export { type TWebAuthnCredentialSummary, ZWebAuthnCredentialSummary } from './webauthn/schemas.js';
export {
  authenticateMfaWebAuthn,
  startWebAuthnSecondStep,
  type TAuthMfaWebAuthnInput,
  type TWebAuthnAssertionOptions,
  type TWebAuthnSecondStepOptionsInput,
  ZAuthMfaWebAuthnInput,
  ZWebAuthnAssertionOptions,
  ZWebAuthnSecondStepOptionsInput,
} from './webauthn/second-step.js';
