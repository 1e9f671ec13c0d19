-- The old case_reporters had no id column (its key was case and Telegram user): rows keep their rowid as id.
CREATE TABLE `api_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`partner` text NOT NULL,
	`key_hash` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`revoked_at` integer,
	`last_used_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_case_reporters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`telegram_id` integer,
	`chat_id` integer,
	`name` text,
	`phone` text,
	`claim_hash` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_case_reporters`("id", "case_id", "telegram_id", "chat_id", "name", "phone", "claim_hash", "created_at") SELECT rowid, "case_id", "telegram_id", "chat_id", "name", "phone", "claim_hash", "created_at" FROM `case_reporters`;--> statement-breakpoint
DROP TABLE `case_reporters`;--> statement-breakpoint
ALTER TABLE `__new_case_reporters` RENAME TO `case_reporters`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `case_reporters_case_user_uq` ON `case_reporters` (`case_id`,`telegram_id`);--> statement-breakpoint
CREATE INDEX `case_reporters_user_idx` ON `case_reporters` (`telegram_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `case_reporters_claim_uq` ON `case_reporters` (`claim_hash`);--> statement-breakpoint
ALTER TABLE `cases` ADD `source` text DEFAULT 'telegram' NOT NULL;--> statement-breakpoint
ALTER TABLE `cases` ADD `source_ref` text;