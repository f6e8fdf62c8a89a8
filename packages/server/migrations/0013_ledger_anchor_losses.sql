-- Chain state loss (docs/ledger.md): when a confirmed batch's anchor vanishes from the chain, the lost anchor is kept here and the batch anchored again.
CREATE TABLE "ledger_anchor_losses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"batch_id" uuid NOT NULL,
	"chain_id" bigint,
	"ledger_address" text NOT NULL,
	"transaction_hash" text,
	"block_number" bigint,
	"anchored_at" timestamp with time zone,
	"reason" text NOT NULL,
	"detected_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ledger_batches" ADD COLUMN "lost_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "ledger_anchor_losses" ADD CONSTRAINT "ledger_anchor_losses_batch_id_ledger_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."ledger_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_anchor_losses_batch_idx" ON "ledger_anchor_losses" USING btree ("batch_id");