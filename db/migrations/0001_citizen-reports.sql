CREATE TABLE `case_links` (
	`case_id` integer NOT NULL,
	`other_case_id` integer NOT NULL,
	`kind` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`detail` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`case_id`, `other_case_id`, `kind`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`other_case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_links_other_idx` ON `case_links` (`other_case_id`);--> statement-breakpoint
CREATE TABLE `counters` (
	`scope` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `cases` ADD `submission_id` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `rating` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `rating_comment` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `rated_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `rating_reminder_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `cases_submission_id_unique` ON `cases` (`submission_id`);--> statement-breakpoint
CREATE INDEX `cases_sector_status_idx` ON `cases` (`sector_id`,`status`);--> statement-breakpoint
CREATE INDEX `cases_rating_reminder_idx` ON `cases` (`rating_reminder_at`);