import { useState } from 'react';
import { HomePage } from './pages/home.js';
import { LoginPage } from './pages/login.js';
import { RegisterPage } from './pages/register.js';
import { setSessionToken } from './trpc.js';

type View = 'login' | 'register' | 'home';

export function App() {
  const [view, setView] = useState<View>('login');
  const signedIn = (token: string) => {
    setSessionToken(token);
    setView('home');
  };
  const signOut = () => {
    setSessionToken(undefined);
    setView('login');
  };
  return (
    <main>
      {view === 'login' && <LoginPage onSignedIn={signedIn} onRegister={() => setView('register')} />}
      {view === 'register' && <RegisterPage onSignedIn={signedIn} onLogin={() => setView('login')} />}
      {view === 'home' && <HomePage onSignOut={signOut} />}
    </main>
  );
}
