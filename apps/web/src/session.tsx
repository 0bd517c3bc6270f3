import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { navigate } from './router.js';
import { type EmailStatus, type Profile, trpc } from './trpc.js';
import { setEnrolmentRequiredHandler, setSessionLostHandler } from './use-submit.js';

/** The 10-minute window after a recovery code login; only its end is kept (no secret). */
const RECOVERY_WINDOW_KEY = 'twofold.recoveryWindowEndsAt';

type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous'; notice?: string }
  | { status: 'signed-in'; profile: Profile };

export interface PendingMfaLogin {
  mfaToken: string;
  identifier: string;
}

interface SessionApi {
  state: SessionState;
  profile: Profile | undefined;
  /** Takes the profile of a login result (its token is blank: the session is in a cookie). */
  signIn(profile: Profile): void;
  signOut(notice?: string): Promise<void>;
  /** Reads the profile again; answers it (undefined when signed out). */
  refresh(): Promise<Profile | undefined>;
  /** Between the password step and the code step of a login. */
  pendingMfa: PendingMfaLogin | undefined;
  setPendingMfa(pending: PendingMfaLogin | undefined): void;
  /** Epoch seconds when the recovery window closes, while it is open. */
  recoveryWindowEndsAt: number | undefined;
  setRecoveryWindowEndsAt(endsAt: number | undefined): void;
  /** A one-line confirmation shown on the next page ("MFA is now off."). */
  flash: string | undefined;
  setFlash(message: string | undefined): void;
  /**
   * Which addresses are verified and the pending new email (docs/contract.md § Verified
   * addresses), read whenever the signed-in profile's addresses change.
   */
  emailStatus: EmailStatus | undefined;
  /** Takes a status a verification or change answered, or reads it again without one. */
  updateEmailStatus(status?: EmailStatus): Promise<void>;
}

const SessionContext = createContext<SessionApi | undefined>(undefined);

function readRecoveryWindow(): number | undefined {
  const stored = Number(window.sessionStorage.getItem(RECOVERY_WINDOW_KEY));
  return Number.isFinite(stored) && stored * 1000 > Date.now() ? stored : undefined;
}

function profileOf<T extends Profile & { token?: string }>(auth: T): Profile {
  const { token: _token, ...profile } = auth;
  return profile;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [pendingMfa, setPendingMfa] = useState<PendingMfaLogin>();
  const [flash, setFlash] = useState<string>();
  const [recoveryWindowEndsAt, setWindow] = useState<number | undefined>(readRecoveryWindow);
  const [emailStatus, setEmailStatus] = useState<EmailStatus>();

  const setRecoveryWindowEndsAt = useCallback((endsAt: number | undefined) => {
    if (endsAt === undefined) window.sessionStorage.removeItem(RECOVERY_WINDOW_KEY);
    else window.sessionStorage.setItem(RECOVERY_WINDOW_KEY, String(endsAt));
    setWindow(endsAt);
  }, []);

  const refresh = useCallback(async () => {
    // `auth.session` answers null rather than 401 for nobody: no console error on each load.
    const profile = (await trpc.auth.session.query()) ?? undefined;
    setState(profile ? { status: 'signed-in', profile } : { status: 'anonymous' });
    return profile;
  }, []);

  useEffect(() => {
    refresh().catch(() => setState({ status: 'anonymous', notice: 'Cannot reach the server.' }));
  }, [refresh]);

  const updateEmailStatus = useCallback(async (status?: EmailStatus) => {
    setEmailStatus(status ?? (await trpc.user.emailStatus.query()));
  }, []);
  const profile = state.status === 'signed-in' ? state.profile : undefined;
  const addresses = profile ? `${profile.id}|${profile.email}|${profile.recovery_email}` : undefined;
  useEffect(() => {
    if (addresses === undefined) {
      setEmailStatus(undefined);
      return;
    }
    updateEmailStatus().catch(() => setEmailStatus(undefined));
  }, [addresses, updateEmailStatus]);

  useEffect(() => {
    setSessionLostHandler(() => {
      setState({ status: 'anonymous', notice: 'Your session ended. Log in again.' });
      navigate('/login', { replace: true });
    });
    return () => setSessionLostHandler(undefined);
  }, []);

  useEffect(() => {
    setEnrolmentRequiredHandler(() => {
      refresh().catch(() => undefined);
    });
    return () => setEnrolmentRequiredHandler(undefined);
  }, [refresh]);

  const api = useMemo<SessionApi>(
    () => ({
      state,
      profile,
      signIn: (profile) => {
        setPendingMfa(undefined);
        setState({ status: 'signed-in', profile: profileOf(profile) });
      },
      signOut: async (notice) => {
        // The cookie is HttpOnly: only the server can clear it; it also ends the session there.
        await trpc.auth.logout.mutate().catch(() => undefined);
        setRecoveryWindowEndsAt(undefined);
        setFlash(undefined);
        setState({ status: 'anonymous', ...(notice ? { notice } : {}) });
        navigate('/login');
      },
      refresh,
      pendingMfa,
      setPendingMfa,
      recoveryWindowEndsAt,
      setRecoveryWindowEndsAt,
      flash,
      setFlash,
      emailStatus,
      updateEmailStatus,
    }),
    [
      state,
      profile,
      refresh,
      pendingMfa,
      recoveryWindowEndsAt,
      setRecoveryWindowEndsAt,
      flash,
      emailStatus,
      updateEmailStatus,
    ],
  );
  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
