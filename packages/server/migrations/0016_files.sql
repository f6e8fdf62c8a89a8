-- Uploaded files: one row per (organization, SHA-256), pointing at its encrypted blob and its data key.
CREATE TABLE "files" (
	"organization_id" uuid NOT NULL REFERENCES "organizations"("id"),
	"sha256" text NOT NULL,
	"size" bigint NOT NULL,
	"media_type" text NOT NULL,
	"blob_key" text NOT NULL,
	"data_key_id" uuid NOT NULL REFERENCES "data_keys"("id"),
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "files_organization_id_sha256_pk" PRIMARY KEY("organization_id","sha256")
);
--> statement-breakpoint
CREATE INDEX "files_created_at_idx" ON "files" USING btree ("created_at");
