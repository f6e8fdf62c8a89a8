-- Idempotency keys survive crashes: the claim that runs a request (owner), the lease its instance renews while it runs, and the resource its committed changes touched (fenced in the change's transaction).
ALTER TABLE "idempotency_keys" ADD COLUMN "owner" text;
--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "lease_expires_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "committed_resource" jsonb;
--> statement-breakpoint
-- Each instance renews the leases of its running requests by owner, every second.
CREATE INDEX "idempotency_keys_owner_idx" ON "idempotency_keys" USING btree ("owner") WHERE "owner" IS NOT NULL;
--> statement-breakpoint
-- Requests still running on instances of the previous version keep the minute those instances expect.
UPDATE "idempotency_keys" SET "lease_expires_at" = "locked_at" + interval '60 seconds' WHERE "response_status" IS NULL;
