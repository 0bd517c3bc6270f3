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