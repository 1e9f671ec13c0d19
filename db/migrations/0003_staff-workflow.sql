CREATE TABLE `invites` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`unit_id` text NOT NULL,
	`roles` text NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`used_by` integer,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `cases` ADD `pending_transfer` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `pending_extension` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `merged_into` integer;