import { Link, usePathname } from '../router.js';
import { useSession } from '../session.js';

/**
 * docs/contract.md § Required MFA: during the grace period the account works as usual, and
 * this says how long it still will without a second factor.
 */
export function EnrolmentBanner() {
  const session = useSession();
  const pathname = usePathname();
  const profile = session.profile;
  const daysLeft = profile?.mfa_enrollment_days_left;
  if (profile?.mfa_enrollment_required !== false || daysLeft === undefined) return null;
  return (
    <section className="banner banner-warning" aria-label="MFA required soon" data-testid="enrolment-banner">
      <div>
        <p className="banner-title">This service requires two-factor authentication.</p>
        <p>
          Set it up within {daysLeft === 1 ? '1 day' : `${daysLeft} days`}: after that, this account can do
          nothing else until you do.
        </p>
      </div>
      {pathname !== '/security/enable' && (
        <Link to="/security/enable" className="button button-primary">
          Set up MFA
        </Link>
      )}
    </section>
  );
}
