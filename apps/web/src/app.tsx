import { type ReactNode, useEffect, useState } from 'react';
import { Layout } from './components/layout.js';
import { ReauthProvider } from './components/reauth-dialog.js';
import { DevMailPage } from './pages/dev-mail.js';
import { DisableMfaPage } from './pages/disable-mfa.js';
import { EnableMfaPage } from './pages/enable-mfa.js';
import { ForgotPasswordPage } from './pages/forgot-password.js';
import { LoginPage } from './pages/login.js';
import { LoginCodePage } from './pages/login-code.js';
import { PasswordResetPage } from './pages/password-reset.js';
import { RecoverPage } from './pages/recover.js';
import { RegisterPage } from './pages/register.js';
import { ResetConfirmPage } from './pages/reset-confirm.js';
import { ResetRequestPage } from './pages/reset-request.js';
import { SecurityPage } from './pages/security.js';
import { UndoEmailChangePage } from './pages/undo-email-change.js';
import { VerifyEmailPage } from './pages/verify-email.js';
import { Link, navigate, usePathname } from './router.js';
import { SessionProvider, useSession } from './session.js';
import { trpc } from './trpc.js';

type Access = 'anonymous' | 'signed-in' | 'any';

interface Route {
  page: ReactNode;
  access: Access;
  width: 'narrow' | 'wide';
}

const RESET_LINK = /^\/mfa\/reset\/([^/]+)\/?$/;

/**
 * docs/contract.md § Required MFA: a session that must set up a second factor can do nothing
 * else, so the app keeps it on the setup page (and the dev mailbox, which needs no session).
 */
const ENROLMENT_PAGE = '/security/enable';
const OPEN_WHILE_ENROLLING = new Set([ENROLMENT_PAGE, '/dev/mail']);

function routeOf(pathname: string): Route | undefined {
  switch (pathname.replace(/(.)\/$/, '$1')) {
    case '/login':
      return { page: <LoginPage />, access: 'anonymous', width: 'narrow' };
    case '/login/code':
      return { page: <LoginCodePage />, access: 'anonymous', width: 'narrow' };
    case '/register':
      return { page: <RegisterPage />, access: 'anonymous', width: 'narrow' };
    case '/recover':
      return { page: <RecoverPage />, access: 'anonymous', width: 'narrow' };
    case '/password/forgot':
      return { page: <ForgotPasswordPage />, access: 'any', width: 'narrow' };
    case '/email/verify':
      return { page: <VerifyEmailPage />, access: 'any', width: 'narrow' };
    case '/email/undo':
      return { page: <UndoEmailChangePage />, access: 'any', width: 'narrow' };
    case '/password/reset':
      return { page: <PasswordResetPage />, access: 'any', width: 'narrow' };
    case '/mfa/reset':
      return { page: <ResetRequestPage />, access: 'any', width: 'narrow' };
    case '/security':
      return { page: <SecurityPage />, access: 'signed-in', width: 'wide' };
    case '/security/enable':
      return { page: <EnableMfaPage />, access: 'signed-in', width: 'wide' };
    case '/security/disable':
      return { page: <DisableMfaPage />, access: 'signed-in', width: 'wide' };
    case '/dev/mail':
      return { page: <DevMailPage />, access: 'any', width: 'wide' };
  }
  const reset = RESET_LINK.exec(pathname);
  if (reset?.[1]) {
    const id = decodeURIComponent(reset[1]);
    return { page: <ResetConfirmPage key={id} id={id} />, access: 'any', width: 'narrow' };
  }
  return undefined;
}

/** Whether the server offers the dev mailbox (it answers NOT_FOUND in production). */
function useDevMailAvailable(): boolean {
  const [isAvailable, setAvailable] = useState(false);
  useEffect(() => {
    trpc.dev.mail.query().then(
      () => setAvailable(true),
      () => setAvailable(false),
    );
  }, []);
  return isAvailable;
}

function Routes() {
  const session = useSession();
  const pathname = usePathname();
  const showDevMail = useDevMailAvailable();
  const route = routeOf(pathname);
  const status = session.state.status;
  const mustEnrol = session.profile?.mfa_enrollment_required === true;
  const redirect =
    status === 'loading'
      ? undefined
      : mustEnrol && !OPEN_WHILE_ENROLLING.has(pathname.replace(/(.)\/$/, '$1'))
        ? ENROLMENT_PAGE
        : pathname === '/'
          ? status === 'signed-in'
            ? '/security'
            : '/login'
          : route?.access === 'signed-in' && status === 'anonymous'
            ? '/login'
            : route?.access === 'anonymous' && status === 'signed-in'
              ? '/security'
              : undefined;

  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);

  if (status === 'loading' || redirect) {
    return (
      <Layout width="narrow" showDevMail={showDevMail}>
        <p aria-busy="true" className="muted">
          Loading…
        </p>
      </Layout>
    );
  }
  if (!route) {
    return (
      <Layout width="narrow" showDevMail={showDevMail}>
        <h1>Page not found</h1>
        <p>
          There is nothing at this address. <Link to="/">Go to the start page</Link>.
        </p>
      </Layout>
    );
  }
  return (
    <Layout width={route.width} showDevMail={showDevMail}>
      {route.page}
    </Layout>
  );
}

export function App() {
  return (
    <SessionProvider>
      <ReauthProvider>
        <Routes />
      </ReauthProvider>
    </SessionProvider>
  );
}
