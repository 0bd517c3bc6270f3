export {
  loginWithPassword,
  type TLoginInput,
  type TLoginResult,
  ZLoginInput,
  ZLoginResult,
} from './auth/login.js';
export { type Clock, nowSeconds, systemClock } from './clock.js';
export { type Core, type CoreConfig, type CoreDeps, createCore, type RequestMeta } from './context.js';
export { ARGON2_OPTIONS } from './crypto/slow-hash.js';
export { migrateDatabase } from './db/migrate.js';
export { closeDatabase, type Db, openDatabase } from './db/open.js';
export * as schema from './db/schema/index.js';
export { DomainError, ERROR_CODES, type ErrorCode, isDomainError, type LockoutDetails } from './errors.js';
export { SECURITY_EVENT_TYPES, type SecurityEventType } from './events/record.js';
export type { MailKind, MailMessage, RenderedMail } from './mail/messages.js';
export { cryptoRandom, type Random } from './random.js';
export { authenticateSession } from './session/authenticate.js';
export { SESSION_TTL_SECONDS } from './session/jwt.js';
export {
  LOGIN_ADDRESS_POLICY,
  PASSWORD_POLICY,
  SECOND_FACTOR_POLICY,
  type ThrottlePolicy,
} from './throttle/failure-counter.js';
export type { User } from './users/find.js';
export { registerUser, type TRegisterInput, ZRegisterInput } from './users/register.js';
export {
  type TUserAuth,
  ZEmail,
  ZIdentifier,
  ZName,
  ZPassword,
  ZUserAuth,
  ZUsername,
} from './users/schemas.js';
export { toUserProfile } from './users/user-auth.js';
