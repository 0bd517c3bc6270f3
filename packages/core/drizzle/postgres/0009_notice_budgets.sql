CREATE TABLE "notice_budgets" (
	"user_id" text NOT NULL,
	"family" text NOT NULL,
	"window_started_at_ms" bigint NOT NULL,
	"taken" integer NOT NULL,
	CONSTRAINT "notice_budgets_user_id_family_pk" PRIMARY KEY("user_id","family")
);
--> statement-breakpoint
ALTER TABLE "notice_budgets" ADD CONSTRAINT "notice_budgets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE cascade ON UPDATE no action;