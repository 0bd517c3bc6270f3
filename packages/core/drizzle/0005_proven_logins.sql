CREATE TABLE `device_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`expires_at_ms` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `device_tokens_user_expires_idx` ON `device_tokens` (`user_id`,`expires_at_ms`);--> statement-breakpoint
CREATE TABLE `known_login_addresses` (
	`user_id` text NOT NULL,
	`address` text NOT NULL,
	`last_login_at_ms` integer NOT NULL,
	PRIMARY KEY(`user_id`, `address`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
