-- The event-order lock must be the last lock a writer waits for; foreign-key checks take row locks after it (see db/schema/events.ts).
ALTER TABLE "contract_events" DROP CONSTRAINT "contract_events_organization_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "contract_events" DROP CONSTRAINT "contract_events_contract_id_contracts_id_fk";
