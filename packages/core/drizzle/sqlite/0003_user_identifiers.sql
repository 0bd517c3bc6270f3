CREATE TABLE `identifiers` (
	`identifier` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `identifiers_user_idx` ON `identifiers` (`user_id`);--> statement-breakpoint
-- Hand-written: every existing username and email claims its identifier. migrateDatabase
-- refuses to start on a database where two accounts share one (db/identifier-collisions.ts).
INSERT INTO `identifiers` (`identifier`, `user_id`, `kind`) SELECT lower(`username`), `id`, 'username' FROM `users`;--> statement-breakpoint
INSERT INTO `identifiers` (`identifier`, `user_id`, `kind`) SELECT lower(`email`), `id`, 'email' FROM `users` WHERE lower(`email`) <> lower(`username`);
