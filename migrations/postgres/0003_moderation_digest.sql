ALTER TABLE "collectives" ADD COLUMN "digested_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "collectives" ADD COLUMN "digested_event_id" integer;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "moderation_digest" boolean DEFAULT true NOT NULL;