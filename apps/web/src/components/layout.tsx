import { type ReactNode, useEffect } from 'react';
import { Link, usePathname } from '../router.js';
import { useSession } from '../session.js';
import { EnrolmentBanner } from './enrolment-banner.js';
import { RecoveryBanner } from './recovery-banner.js';
import { VerificationBanner } from './verification-banner.js';

interface LayoutProps {
  children: ReactNode;
  /** Narrow card for sign-in screens, wide for the account pages. */
  width: 'narrow' | 'wide';
  showDevMail: boolean;
}

export function Layout({ children, width, showDevMail }: LayoutProps) {
  const session = useSession();
  const pathname = usePathname();
  // After a client-side navigation, move focus to the new page's heading (WCAG 2.4.3).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each new path
  useEffect(() => {
    const heading = document.querySelector<HTMLElement>('main h1');
    if (!heading) return;
    // An autofocused field (the code input) keeps its focus.
    if (document.activeElement?.closest('main')) return;
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }, [pathname]);

  useDocumentTitle();

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            2
          </span>
          Twofold
        </Link>
        <nav aria-label="Main">
          {session.profile && !session.profile.mfa_enrollment_required && (
            <Link to="/security" aria-current={pathname.startsWith('/security') ? 'page' : undefined}>
              Security
            </Link>
          )}
          {showDevMail && (
            <Link to="/dev/mail" aria-current={pathname === '/dev/mail' ? 'page' : undefined}>
              Dev mailbox
            </Link>
          )}
          {session.profile ? (
            <>
              <span className="whoami" data-testid="whoami">
                {session.profile.user}
              </span>
              <button type="button" className="button button-ghost" onClick={() => session.signOut()}>
                Log out
              </button>
            </>
          ) : (
            <>
              <Link to="/login">Log in</Link>
              <Link to="/register">Register</Link>
            </>
          )}
        </nav>
      </header>
      <div className={`page page-${width}`}>
        <RecoveryBanner />
        <EnrolmentBanner />
        <VerificationBanner />
        <main id="main" className={width === 'narrow' ? 'card' : undefined}>
          {children}
        </main>
      </div>
    </>
  );
}

/**
 * The tab's title follows the page's heading. The heading can appear after the path changed
 * (a page loaded directly renders once the session is known) or change within a page (the
 * steps of enabling MFA), so it is watched, not read once per path.
 */
function useDocumentTitle(): void {
  useEffect(() => {
    const main = document.querySelector('main');
    if (!main) return;
    const update = () => {
      const heading = main.querySelector('h1')?.textContent?.trim();
      const title = heading ? `${heading} · Twofold` : 'Twofold';
      if (document.title !== title) document.title = title;
    };
    update();
    const observer = new MutationObserver(update);
    observer.observe(main, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, []);
}
