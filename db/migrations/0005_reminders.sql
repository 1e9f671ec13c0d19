CREATE TABLE `reminders` (
	`key` text PRIMARY KEY NOT NULL,
	`case_id` integer NOT NULL,
	`stage` text NOT NULL,
	`kind` text NOT NULL,
	`level` integer DEFAULT 0 NOT NULL,
	`fire_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`sent_at` integer,
	`late` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `reminders_due_idx` ON `reminders` (`status`,`fire_at`);--> statement-breakpoint
CREATE INDEX `reminders_case_idx` ON `reminders` (`case_id`,`status`);--> statement-breakpoint
CREATE TABLE `schedules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`chat_id` integer NOT NULL,
	`text` text NOT NULL,
	`cron` text NOT NULL,
	`time_zone` text NOT NULL,
	`holidays` text DEFAULT 'skip' NOT NULL,
	`paused` integer DEFAULT false NOT NULL,
	`last_slot` integer,
	`created_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `schedules_chat_idx` ON `schedules` (`chat_id`);