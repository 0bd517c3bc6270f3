/** A credential to send as `Authorization: Bearer`, or a function asked before every request. */
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

export async function resolveToken(source: TokenSource | undefined): Promise<string | undefined> {
  return typeof source === 'function' ? await source() : source;
}
