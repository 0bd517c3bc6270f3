-- Hand-written (docs/contract.md § Units): every time column names its unit. Renames keep the
-- data, and every index follows its columns. failure_counters keeps epoch seconds, the unit its
-- lockouts are computed and answered in, and now says so; every other column is epoch milliseconds.
ALTER TABLE `admin_keys` RENAME COLUMN `created_at` TO `created_at_ms`;--> statement-breakpoint
ALTER TABLE `admin_keys` RENAME COLUMN `expires_at` TO `expires_at_ms`;--> statement-breakpoint
ALTER TABLE `code_migrations` RENAME COLUMN `completed_at` TO `completed_at_ms`;--> statement-breakpoint
ALTER TABLE `email_verifications` RENAME COLUMN `expires_at` TO `expires_at_ms`;--> statement-breakpoint
ALTER TABLE `email_verifications` RENAME COLUMN `consumed_at` TO `consumed_at_ms`;--> statement-breakpoint
ALTER TABLE `email_verifications` RENAME COLUMN `created_at` TO `created_at_ms`;--> statement-breakpoint
ALTER TABLE `security_events` RENAME COLUMN `created_at` TO `created_at_ms`;--> statement-breakpoint
ALTER TABLE `key_fingerprints` RENAME COLUMN `recorded_at` TO `recorded_at_ms`;--> statement-breakpoint
ALTER TABLE `mfa_credentials` RENAME COLUMN `enabled_at` TO `enabled_at_ms`;--> statement-breakpoint
ALTER TABLE `mfa_enrollments` RENAME COLUMN `expires_at` TO `expires_at_ms`;--> statement-breakpoint
ALTER TABLE `mfa_enrollments` RENAME COLUMN `created_at` TO `created_at_ms`;--> statement-breakpoint
ALTER TABLE `mfa_tokens` RENAME COLUMN `expires_at` TO `expires_at_ms`;--> statement-breakpoint
ALTER TABLE `mfa_tokens` RENAME COLUMN `used_at` TO `used_at_ms`;--> statement-breakpoint
ALTER TABLE `mfa_tokens` RENAME COLUMN `created_at` TO `created_at_ms`;--> statement-breakpoint
ALTER TABLE `recovery_codes` RENAME COLUMN `used_at` TO `used_at_ms`;--> statement-breakpoint
ALTER TABLE `recovery_windows` RENAME COLUMN `expires_at` TO `expires_at_ms`;--> statement-breakpoint
ALTER TABLE `recovery_windows` RENAME COLUMN `used_at` TO `used_at_ms`;--> statement-breakpoint
ALTER TABLE `outbox` RENAME COLUMN `next_attempt_at` TO `next_attempt_at_ms`;--> statement-breakpoint
ALTER TABLE `outbox` RENAME COLUMN `lease_until` TO `lease_until_ms`;--> statement-breakpoint
ALTER TABLE `outbox` RENAME COLUMN `sent_at` TO `sent_at_ms`;--> statement-breakpoint
ALTER TABLE `outbox` RENAME COLUMN `failed_at` TO `failed_at_ms`;--> statement-breakpoint
ALTER TABLE `outbox` RENAME COLUMN `created_at` TO `created_at_ms`;--> statement-breakpoint
ALTER TABLE `password_resets` RENAME COLUMN `expires_at` TO `expires_at_ms`;--> statement-breakpoint
ALTER TABLE `password_resets` RENAME COLUMN `consumed_at` TO `consumed_at_ms`;--> statement-breakpoint
ALTER TABLE `password_resets` RENAME COLUMN `created_at` TO `created_at_ms`;--> statement-breakpoint
ALTER TABLE `reset_requests` RENAME COLUMN `expires_at` TO `expires_at_ms`;--> statement-breakpoint
ALTER TABLE `reset_requests` RENAME COLUMN `consumed_at` TO `consumed_at_ms`;--> statement-breakpoint
ALTER TABLE `reset_requests` RENAME COLUMN `created_at` TO `created_at_ms`;--> statement-breakpoint
ALTER TABLE `failure_counters` RENAME COLUMN `locked_until` TO `locked_until_seconds`;--> statement-breakpoint
ALTER TABLE `failure_counters` RENAME COLUMN `updated_at` TO `updated_at_seconds`;--> statement-breakpoint
ALTER TABLE `users` RENAME COLUMN `created_at` TO `created_at_ms`;--> statement-breakpoint
ALTER TABLE `webauthn_challenges` RENAME COLUMN `expires_at` TO `expires_at_ms`;--> statement-breakpoint
ALTER TABLE `webauthn_challenges` RENAME COLUMN `used_at` TO `used_at_ms`;--> statement-breakpoint
ALTER TABLE `webauthn_challenges` RENAME COLUMN `created_at` TO `created_at_ms`;--> statement-breakpoint
ALTER TABLE `webauthn_credentials` RENAME COLUMN `created_at` TO `created_at_ms`;--> statement-breakpoint
ALTER TABLE `webauthn_credentials` RENAME COLUMN `last_used_at` TO `last_used_at_ms`;
