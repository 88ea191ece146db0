CREATE TABLE "letter_translations" (
	"letter_id" integer NOT NULL,
	"language" text NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"addressee" text DEFAULT '' NOT NULL,
	"body_md" text NOT NULL,
	"translates_version" integer NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "letter_translations_letter_id_language_pk" PRIMARY KEY("letter_id","language")
);
--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "language" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "signatures" ADD COLUMN "language" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "letter_translations" ADD CONSTRAINT "letter_translations_letter_id_letters_id_fk" FOREIGN KEY ("letter_id") REFERENCES "letters"("id") ON DELETE cascade ON UPDATE no action;