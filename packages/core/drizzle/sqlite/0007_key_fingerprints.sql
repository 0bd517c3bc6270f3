CREATE TABLE `key_fingerprints` (
	`name` text PRIMARY KEY NOT NULL,
	`fingerprint` text NOT NULL,
	`recorded_at` integer NOT NULL
);
