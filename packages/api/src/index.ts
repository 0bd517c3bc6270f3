export { type ApiAppOptions, createApiApp, MAX_BODY_BYTES, MAX_TRPC_BATCH_CALLS } from './app.js';
export { HTTP_STATUS_OF } from './errors/http-status.js';
export { TRPC_CODE_OF } from './errors/trpc-codes.js';
export { jsonLogger, type Logger, silentLogger } from './logger.js';
export { type ApiMetrics, type CreateMetricsOptions, createApiMetrics } from './metrics/create-metrics.js';
export {
  type BuildOpenApiOptions,
  buildOpenApiDocument,
  type OpenApiDocument,
  type OpenApiOperation,
  type OpenApiResponse,
} from './openapi/build-document.js';
export { type ErrorBody, errorResponseOf, ZErrorBody } from './rest/error-response.js';
export type { RestRoute } from './rest/route.js';
export { restRoutes } from './rest/routes/index.js';
export { compileTrustProxy, type TrustFunction, type TrustProxy } from './rest/trust-proxy.js';
export { type ApiCaller, type AppRouter, appRouter, createCaller } from './router.js';
export { DEVICE_COOKIE } from './session/device-cookie.js';
export type { HttpOnlyCookie } from './session/http-only-cookie.js';
export { CSRF_HEADER, SESSION_COOKIE, SESSION_MODE_HEADER } from './session/session-cookie.js';
export { TRUSTED_DEVICE_COOKIE } from './session/trusted-device-cookie.js';
export type { ApiErrorData } from './trpc/init.js';
