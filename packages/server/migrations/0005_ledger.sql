CREATE TABLE "ledger_batches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"chain_id" bigint,
	"ledger_address" text NOT NULL,
	"root" text NOT NULL,
	"leaf_count" integer NOT NULL,
	"status" text NOT NULL,
	"transaction_hash" text,
	"sender" text,
	"nonce" integer,
	"block_number" bigint,
	"block_hash" text,
	"anchored_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ledger_deployments" (
	"chain_id" bigint NOT NULL,
	"address" text NOT NULL,
	"transaction_hash" text,
	"block_number" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_deployments_chain_id_address_pk" PRIMARY KEY("chain_id","address")
);
--> statement-breakpoint
CREATE TABLE "ledger_leaves" (
	"audit_event_id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"event_hash" text NOT NULL,
	"leaf" text NOT NULL,
	"proof" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ledger_leaves" ADD CONSTRAINT "ledger_leaves_batch_id_ledger_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."ledger_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_batches_root_key" ON "ledger_batches" USING btree ("root");--> statement-breakpoint
CREATE INDEX "ledger_batches_status_idx" ON "ledger_batches" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "ledger_batches_confirmed_idx" ON "ledger_batches" USING btree ("confirmed_at");--> statement-breakpoint
CREATE INDEX "ledger_leaves_batch_idx" ON "ledger_leaves" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "ledger_leaves_org_idx" ON "ledger_leaves" USING btree ("organization_id");