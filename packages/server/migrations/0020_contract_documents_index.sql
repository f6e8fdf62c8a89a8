-- The cleanup of unreferenced files asks, per file, whether any contract of its organization names it
-- (`documents @> '[{"sha256": …}]'`); without an index that is a scan of the organization's contracts.
CREATE INDEX "contracts_documents_idx" ON "contracts" USING gin ("documents" jsonb_path_ops);
