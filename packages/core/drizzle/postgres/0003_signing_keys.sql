CREATE TABLE "signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"algorithm" text NOT NULL,
	"public_jwk" text NOT NULL,
	"private_key_sealed" text NOT NULL,
	"private_key_key_id" text NOT NULL,
	"created_at_ms" bigint NOT NULL,
	"activates_at_ms" bigint NOT NULL
);
