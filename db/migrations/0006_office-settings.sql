CREATE TABLE `office_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`settings` text NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	CONSTRAINT "office_settings_one_row" CHECK("office_settings"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE `schedules` ADD `key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `schedules_key_uq` ON `schedules` (`key`);--> statement-breakpoint
CREATE INDEX `cases_supervision_idx` ON `cases` (`supervision`,`status`);