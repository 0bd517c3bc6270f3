/** docs/contract.md: 6 codes of 16 base32 characters, i.e. 80 bits each. */
export const RECOVERY_CODE_COUNT = 6;
export const RECOVERY_CODE_BYTES = 10;
export const RECOVERY_CODE_LENGTH = 16;
