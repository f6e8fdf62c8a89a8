-- Wrapped data keys (every object the enclave encrypts at rest) and contracts' sealed confidential terms.
CREATE TABLE "data_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL REFERENCES "organizations"("id"),
	"purpose" text NOT NULL,
	"object_id" text NOT NULL,
	"kek_version" integer NOT NULL,
	"wrapped_key" bytea NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rewrapped_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "data_keys_object_idx" ON "data_keys" USING btree ("organization_id","purpose","object_id");
--> statement-breakpoint
CREATE INDEX "data_keys_kek_version_idx" ON "data_keys" USING btree ("kek_version","id");
--> statement-breakpoint
CREATE TABLE "contract_confidential_terms" (
	"contract_id" uuid PRIMARY KEY NOT NULL REFERENCES "contracts"("id") ON DELETE CASCADE,
	"organization_id" uuid NOT NULL REFERENCES "organizations"("id"),
	"data_key_id" uuid NOT NULL REFERENCES "data_keys"("id"),
	"ciphertext" bytea NOT NULL,
	"commitment" text NOT NULL,
	"attestation" bytea NOT NULL,
	"sealed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contracts" ADD COLUMN "confidential_commitment" text;
