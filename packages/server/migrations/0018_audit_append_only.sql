-- The audit trail is append-only in the database itself (docs/compliance.md): UPDATE, DELETE and TRUNCATE of
-- audit_events are refused by triggers, whoever asks. The one exception is retention: a transaction that names
-- (SET LOCAL cms.audit_archive_id) a recorded archive may delete the rows that archive covers, and only those.
CREATE TABLE "audit_archives" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"through_seq" bigint NOT NULL,
	"through_hash" text NOT NULL,
	"row_count" bigint NOT NULL,
	"manifest" jsonb NOT NULL,
	"location" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_archives" ADD CONSTRAINT "audit_archives_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_archives_org_seq_key" ON "audit_archives" USING btree ("organization_id","through_seq");--> statement-breakpoint
CREATE TABLE "audit_retention_policies" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"retention_days" integer NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_retention_policies" ADD CONSTRAINT "audit_retention_policies_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_org_occurred_idx" ON "audit_events" USING btree ("organization_id","occurred_at");--> statement-breakpoint
CREATE INDEX "audit_events_org_action_idx" ON "audit_events" USING btree ("organization_id","action","seq");--> statement-breakpoint
CREATE FUNCTION "audit_events_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' AND EXISTS (
		SELECT 1 FROM "audit_archives" a
		WHERE a.id::text = current_setting('cms.audit_archive_id', true)
			AND a.organization_id = OLD.organization_id
			AND OLD.seq <= a.through_seq
	) THEN
		RETURN OLD;
	END IF;
	RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'P0A01';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_events_append_only" BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION "audit_events_refuse_change"();--> statement-breakpoint
CREATE FUNCTION "audit_refuse_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME USING ERRCODE = 'P0A01';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION "audit_refuse_truncate"();--> statement-breakpoint
CREATE FUNCTION "audit_archives_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_archives is append-only: % refused', TG_OP USING ERRCODE = 'P0A01';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_archives_append_only" BEFORE UPDATE OR DELETE ON "audit_archives" FOR EACH ROW EXECUTE FUNCTION "audit_archives_refuse_change"();--> statement-breakpoint
CREATE TRIGGER "audit_archives_no_truncate" BEFORE TRUNCATE ON "audit_archives" FOR EACH STATEMENT EXECUTE FUNCTION "audit_refuse_truncate"();
