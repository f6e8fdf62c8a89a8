DROP TABLE "auth_challenges" CASCADE;--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "did";