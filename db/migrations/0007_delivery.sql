CREATE TABLE `job_runs` (
	`key` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `notice_receipts` (
	`notice_id` integer NOT NULL,
	`telegram_id` integer NOT NULL,
	`chat_id` integer NOT NULL,
	`read_at` integer NOT NULL,
	PRIMARY KEY(`notice_id`, `telegram_id`),
	FOREIGN KEY (`notice_id`) REFERENCES `notices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `notices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`author_id` integer NOT NULL,
	`text` text NOT NULL,
	`media` text,
	`unit_ids` text NOT NULL,
	`sent_at` integer NOT NULL,
	`remind_at` integer,
	`reminded_at` integer,
	FOREIGN KEY (`author_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `notices_remind_idx` ON `notices` (`remind_at`);--> statement-breakpoint
CREATE TABLE `send_pace` (
	`key` text PRIMARY KEY NOT NULL,
	`next_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `outbox` ADD `parts_sent` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `outbox_chat_idx` ON `outbox` (`chat_id`,`status`);--> statement-breakpoint
ALTER TABLE `schedules` ADD `job` text DEFAULT 'message' NOT NULL;--> statement-breakpoint
ALTER TABLE `schedules` ADD `params` text;