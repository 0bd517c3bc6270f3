import type { RestRoute } from '../route.js';
import { adminRoutes } from './admin.js';
import { authRoutes } from './auth.js';
import { devRoutes } from './dev.js';
import { emailVerificationRoutes } from './email-verification.js';
import { mfaRoutes } from './mfa.js';
import { passwordResetRoutes } from './password-reset.js';
import { recoveryCodeRoutes } from './recovery-codes.js';
import { sessionRoutes } from './sessions.js';
import { trustedDeviceRoutes } from './trusted-devices.js';
import { userRoutes } from './user.js';
import { webauthnRoutes } from './webauthn.js';

/** Every REST operation, in the order the OpenAPI document lists them. */
export const restRoutes: readonly RestRoute[] = [
  ...authRoutes,
  ...passwordResetRoutes,
  ...mfaRoutes,
  ...recoveryCodeRoutes,
  ...webauthnRoutes,
  ...userRoutes,
  ...emailVerificationRoutes,
  ...sessionRoutes,
  ...trustedDeviceRoutes,
  ...devRoutes,
  ...adminRoutes,
];
