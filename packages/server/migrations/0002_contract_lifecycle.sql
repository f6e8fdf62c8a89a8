CREATE TABLE "contract_transitions" (
	"contract_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"organization_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"actor_did" text NOT NULL,
	"party_did" text,
	"reason" text,
	"revision" integer NOT NULL,
	"version" integer NOT NULL,
	"audit_event_id" uuid,
	"occurred_at" timestamp with time zone NOT NULL,
	CONSTRAINT "contract_transitions_contract_id_seq_pk" PRIMARY KEY("contract_id","seq")
);
--> statement-breakpoint
DROP INDEX "contract_parties_did_idx";--> statement-breakpoint
ALTER TABLE "contract_parties" ADD COLUMN "status" text DEFAULT 'waiting' NOT NULL;--> statement-breakpoint
ALTER TABLE "contract_parties" ADD COLUMN "sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contract_parties" ADD COLUMN "viewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contract_parties" ADD COLUMN "completed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contract_parties" ADD COLUMN "decline_reason" text;--> statement-breakpoint
ALTER TABLE "contracts" ADD COLUMN "documents" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "contracts" ADD COLUMN "revision" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "contracts" ADD COLUMN "supersedes" uuid;--> statement-breakpoint
ALTER TABLE "contract_transitions" ADD CONSTRAINT "contract_transitions_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_transitions" ADD CONSTRAINT "contract_transitions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_supersedes_contracts_id_fk" FOREIGN KEY ("supersedes") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contracts_expiring_idx" ON "contracts" USING btree ("expires_at") WHERE status = 'executed' and expires_at is not null;--> statement-breakpoint
CREATE INDEX "contract_parties_did_idx" ON "contract_parties" USING btree ("did","contract_id" DESC NULLS LAST);