CREATE TABLE "notice_budgets" (
	"user_id" text NOT NULL,
	"family" text NOT NULL,
	"window_started_at_ms" bigint NOT NULL,
	"taken" integer NOT NULL,
	CONSTRAINT "notice_budgets_user_id_family_pk" PRIMARY KEY("user_id","family")
);
--> statement-breakpoint
CREATE TABLE "trusted_devices" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at_ms" bigint NOT NULL,
	"last_used_at_ms" bigint,
	"expires_at_ms" bigint NOT NULL,
	"user_agent" text,
	"client_address" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notice_budgets" ADD CONSTRAINT "notice_budgets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trusted_devices" ADD CONSTRAINT "trusted_devices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "trusted_devices_token_hash_idx" ON "trusted_devices" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "trusted_devices_user_idx" ON "trusted_devices" USING btree ("user_id");