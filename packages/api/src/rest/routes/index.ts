import type { RestRoute } from '../route.js';
import { adminRoutes } from './admin.js';
import { authRoutes } from './auth.js';
import { devRoutes } from './dev.js';
import { mfaRoutes } from './mfa.js';
import { recoveryCodeRoutes } from './recovery-codes.js';
import { userRoutes } from './user.js';
import { webauthnRoutes } from './webauthn.js';

/** Every REST operation, in the order the OpenAPI document lists them. */
export const restRoutes: readonly RestRoute[] = [
  ...authRoutes,
  ...mfaRoutes,
  ...recoveryCodeRoutes,
  ...webauthnRoutes,
  ...userRoutes,
  ...devRoutes,
  ...adminRoutes,
];
