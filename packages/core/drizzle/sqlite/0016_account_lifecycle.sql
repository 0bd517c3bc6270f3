PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_security_events` (
	`id` text NOT NULL,
	`user_id` text,
	`type` text NOT NULL,
	`client_address` text,
	`admin_key_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
INSERT INTO `__new_security_events`("id", "user_id", "type", "client_address", "admin_key_id", "created_at") SELECT "id", "user_id", "type", "client_address", "admin_key_id", "created_at" FROM `security_events`;--> statement-breakpoint
DROP TABLE `security_events`;--> statement-breakpoint
ALTER TABLE `__new_security_events` RENAME TO `security_events`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `security_events_user_idx` ON `security_events` (`user_id`,`created_at`);--> statement-breakpoint
-- Hand-edited: drizzle-kit leaves out the ON DELETE of a column it adds.
ALTER TABLE `outbox` ADD `user_id` text REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade;--> statement-breakpoint
CREATE INDEX `outbox_user_idx` ON `outbox` (`user_id`);--> statement-breakpoint
ALTER TABLE `users` ADD `email_verified_at_ms` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `recovery_email_verified_at_ms` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `first_login_at_ms` integer;--> statement-breakpoint
-- Hand-written: accounts from before count as logged in, so none of them is ever released
-- (docs/contract.md § Verified addresses), and addresses verified so far stay verified.
UPDATE `users` SET `first_login_at_ms` = `created_at`;--> statement-breakpoint
UPDATE `users` SET `email_verified_at_ms` = (SELECT max(`consumed_at`) FROM `email_verifications` WHERE `email_verifications`.`user_id` = `users`.`id` AND `email_verifications`.`email` = `users`.`email`);--> statement-breakpoint
UPDATE `users` SET `recovery_email_verified_at_ms` = (SELECT max(`consumed_at`) FROM `email_verifications` WHERE `email_verifications`.`user_id` = `users`.`id` AND `email_verifications`.`email` = `users`.`recovery_email`);
--> statement-breakpoint
CREATE TABLE `email_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`old_email` text NOT NULL,
	`new_email` text NOT NULL,
	`undo_token_hash` text NOT NULL,
	`undo_expires_at_ms` integer NOT NULL,
	`undone_at_ms` integer,
	`created_at_ms` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `email_changes_undo_token_idx` ON `email_changes` (`undo_token_hash`);--> statement-breakpoint
CREATE INDEX `email_changes_user_idx` ON `email_changes` (`user_id`);--> statement-breakpoint
ALTER TABLE `email_verifications` ADD `purpose` text DEFAULT 'address' NOT NULL;--> statement-breakpoint
ALTER TABLE `identifiers` ADD `expires_at_ms` integer;--> statement-breakpoint
CREATE INDEX `identifiers_expires_idx` ON `identifiers` (`expires_at_ms`);