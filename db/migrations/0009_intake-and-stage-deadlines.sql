ALTER TABLE `cases` ADD `verify_due_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `intake_pending` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `cases_status_accept_due_idx` ON `cases` (`status`,`accept_due_at`);--> statement-breakpoint
CREATE INDEX `cases_status_verify_due_idx` ON `cases` (`status`,`verify_due_at`);--> statement-breakpoint
CREATE INDEX `cases_intake_pending_idx` ON `cases` (`intake_pending`) WHERE "cases"."intake_pending" = 1;--> statement-breakpoint
-- Cases waiting for verification now: their deadline is the one their verify reminders were planned for.
UPDATE `cases` SET `verify_due_at` = (
  SELECT max(`due_at`) FROM `reminders` WHERE `reminders`.`case_id` = `cases`.`id` AND `reminders`.`stage` = 'verify'
) WHERE `status` IN ('resolved', 'answered');
