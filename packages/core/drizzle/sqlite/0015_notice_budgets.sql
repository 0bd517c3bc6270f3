CREATE TABLE `notice_budgets` (
	`user_id` text NOT NULL,
	`family` text NOT NULL,
	`window_started_at_ms` integer NOT NULL,
	`taken` integer NOT NULL,
	PRIMARY KEY(`user_id`, `family`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
