/**
 * Where Twofold answers, without a trailing slash: `https://auth.example.com` stays, and `/` (the
 * page's own origin, for the web app) becomes `''`, so `${base}/trpc` never turns into `//trpc`,
 * which a browser would read as another host.
 */
export function baseUrlOf(url: string): string {
  return url.replace(/\/+$/, '');
}
