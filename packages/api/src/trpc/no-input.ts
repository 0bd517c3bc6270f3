import { z } from 'zod';

/**
 * The input of an operation that takes none: nothing, or `{}`. Any field is unknown and a 400
 * naming it (docs/contract.md § Fields beyond the seed), as on operations that take fields.
 */
export const ZNoInput = z.strictObject({}).optional();
