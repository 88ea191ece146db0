CREATE TABLE "signature_name_words" (
	"letter_id" integer NOT NULL,
	"word" text COLLATE "C" NOT NULL,
	"verified_at" timestamp (3) with time zone NOT NULL,
	"signature_id" integer NOT NULL,
	CONSTRAINT "signature_name_words_letter_id_word_verified_at_signature_id_pk" PRIMARY KEY("letter_id","word","verified_at","signature_id")
);
--> statement-breakpoint
ALTER TABLE "signature_name_words" ADD CONSTRAINT "signature_name_words_letter_id_letters_id_fk" FOREIGN KEY ("letter_id") REFERENCES "letters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signature_name_words" ADD CONSTRAINT "signature_name_words_signature_id_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "signature_name_words_signature_idx" ON "signature_name_words" USING btree ("signature_id","word");--> statement-breakpoint
-- Every signature listed before this table existed: the words of its name_key (folded, separated by single spaces).
INSERT INTO "signature_name_words" ("letter_id", "word", "verified_at", "signature_id")
SELECT DISTINCT "letter_id", "word", "verified_at", "id"
FROM "signatures", unnest(string_to_array("name_key", ' ')) AS "word"
WHERE "status" = 'verified' AND "is_public" AND NOT "hidden" AND "verified_at" IS NOT NULL AND "word" <> '';
