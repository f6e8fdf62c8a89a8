-- Trigram indexes back the title search of GET /v1/contracts?q=… (substring match at any table size).
-- pg_trgm is a trusted extension (PostgreSQL ≥ 13): a database owner may create it without superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
