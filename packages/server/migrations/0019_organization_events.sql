-- Events of an organization that are about no contract (`webhook.disabled`) share the stream, its order and
-- its ids with contract events: their rows have no contract.
ALTER TABLE "contract_events" ALTER COLUMN "contract_id" DROP NOT NULL;
