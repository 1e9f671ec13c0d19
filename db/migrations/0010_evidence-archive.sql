CREATE TABLE `archive_files` (
	`file_unique_id` text PRIMARY KEY NOT NULL,
	`file_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`sha256` text,
	`size` integer,
	`ext` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_try_at` integer NOT NULL,
	`reason` text,
	`last_error` text,
	`created_at` integer NOT NULL,
	`archived_at` integer
);
--> statement-breakpoint
CREATE INDEX `archive_files_due_idx` ON `archive_files` (`status`,`next_try_at`);--> statement-breakpoint
CREATE INDEX `archive_files_file_id_idx` ON `archive_files` (`file_id`);--> statement-breakpoint
-- Files of cases received before the archive existed are archived too, while their file ids still work.
INSERT OR IGNORE INTO `archive_files` (`file_unique_id`, `file_id`, `kind`, `next_try_at`, `created_at`)
SELECT `file_unique_id`, `file_id`, `kind`, 0, cast(unixepoch('subsec') * 1000 as integer) FROM `attachments` ORDER BY `id`;
