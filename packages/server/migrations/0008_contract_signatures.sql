CREATE TABLE "contract_signatures" (
	"contract_id" uuid NOT NULL,
	"party_did" text NOT NULL,
	"organization_id" uuid NOT NULL,
	"intent" text NOT NULL,
	"format" text NOT NULL,
	"signature" text NOT NULL,
	"payload" jsonb NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "contract_signatures_contract_id_party_did_pk" PRIMARY KEY("contract_id","party_did")
);
--> statement-breakpoint
ALTER TABLE "contract_signatures" ADD CONSTRAINT "contract_signatures_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_signatures" ADD CONSTRAINT "contract_signatures_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;