ALTER TABLE "security_events" DROP CONSTRAINT "security_events_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "security_events" ALTER COLUMN "user_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "user_id" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email_verified_at_ms" bigint;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "recovery_email_verified_at_ms" bigint;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "first_login_at_ms" bigint;--> statement-breakpoint
ALTER TABLE "security_events" ADD CONSTRAINT "security_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_user_idx" ON "outbox" USING btree ("user_id");--> statement-breakpoint
-- Hand-written: accounts from before count as logged in, so none of them is ever released
-- (docs/contract.md § Verified addresses), and addresses verified so far stay verified.
UPDATE "users" SET "first_login_at_ms" = "created_at";--> statement-breakpoint
UPDATE "users" SET "email_verified_at_ms" = (SELECT max("consumed_at") FROM "email_verifications" WHERE "email_verifications"."user_id" = "users"."id" AND "email_verifications"."email" = "users"."email");--> statement-breakpoint
UPDATE "users" SET "recovery_email_verified_at_ms" = (SELECT max("consumed_at") FROM "email_verifications" WHERE "email_verifications"."user_id" = "users"."id" AND "email_verifications"."email" = "users"."recovery_email");
--> statement-breakpoint
CREATE TABLE "email_changes" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"old_email" text NOT NULL,
	"new_email" text NOT NULL,
	"undo_token_hash" text NOT NULL,
	"undo_expires_at_ms" bigint NOT NULL,
	"undone_at_ms" bigint,
	"created_at_ms" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "email_verifications" ADD COLUMN "purpose" text DEFAULT 'address' NOT NULL;--> statement-breakpoint
ALTER TABLE "identifiers" ADD COLUMN "expires_at_ms" bigint;--> statement-breakpoint
ALTER TABLE "email_changes" ADD CONSTRAINT "email_changes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "email_changes_undo_token_idx" ON "email_changes" USING btree ("undo_token_hash");--> statement-breakpoint
CREATE INDEX "email_changes_user_idx" ON "email_changes" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "identifiers_expires_idx" ON "identifiers" USING btree ("expires_at_ms");