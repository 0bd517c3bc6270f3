import { useEffect, useState } from 'react';
import { describeFailure, trpc } from '../trpc.js';

type Profile = Awaited<ReturnType<typeof trpc.auth.me.query>>;

export function HomePage({ onSignOut }: { onSignOut(): void }) {
  const [profile, setProfile] = useState<Profile>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    trpc.auth.me.query().then(setProfile, (e: unknown) => setError(describeFailure(e).message));
  }, []);
  if (error) return <p role="alert">{error}</p>;
  if (!profile) return <p aria-busy="true">Loading…</p>;
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">Welcome, {profile.name}</h1>
      <dl>
        <dt>Username</dt>
        <dd data-testid="profile-username">{profile.user}</dd>
        <dt>Email</dt>
        <dd>{profile.email}</dd>
        <dt>MFA</dt>
        <dd>{profile.mfa ? 'enabled' : 'off'}</dd>
      </dl>
      <button type="button" onClick={onSignOut}>
        Log out
      </button>
    </section>
  );
}
