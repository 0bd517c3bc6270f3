CREATE TABLE `code_migrations` (
	`name` text PRIMARY KEY NOT NULL,
	`completed_at` integer NOT NULL
);
