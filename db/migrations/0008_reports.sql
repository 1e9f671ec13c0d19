ALTER TABLE `cases` ADD `assigned_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `accept_due_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `accepted_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `resolved_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `closed_at` integer;--> statement-breakpoint
CREATE INDEX `cases_assigned_idx` ON `cases` (`assigned_at`);--> statement-breakpoint
CREATE INDEX `cases_closed_idx` ON `cases` (`closed_at`);--> statement-breakpoint
CREATE INDEX `cases_region_status_idx` ON `cases` (`region_id`,`status`);--> statement-breakpoint
-- Backfill: the step times of the cases from before this migration, from their ledger
-- (case_events, whose action names are the workflow's: src/domain/workflow.ts) and, for the
-- accept deadline, the accept reminders planned at their latest hand-over. The same rules as
-- caseMilestones in src/domain/reports.ts: events are ordered by id, not time, so two steps in
-- the same millisecond still come in the order they were taken.
UPDATE `cases` SET `assigned_at` = (SELECT max(e.`at`) FROM `case_events` e WHERE e.`case_id` = `cases`.`id` AND e.`action` IN ('assigned', 'transfer_accepted'));--> statement-breakpoint
UPDATE `cases` SET `accept_due_at` = (SELECT max(r.`due_at`) FROM `reminders` r WHERE r.`case_id` = `cases`.`id` AND r.`stage` = 'accept');--> statement-breakpoint
UPDATE `cases` SET `accepted_at` = (SELECT min(e.`at`) FROM `case_events` e WHERE e.`case_id` = `cases`.`id` AND e.`action` IN ('accepted', 'answered') AND e.`id` > (SELECT max(h.`id`) FROM `case_events` h WHERE h.`case_id` = `cases`.`id` AND h.`action` IN ('assigned', 'transfer_accepted')));--> statement-breakpoint
UPDATE `cases` SET `resolved_at` = (SELECT max(e.`at`) FROM `case_events` e WHERE e.`case_id` = `cases`.`id` AND e.`action` IN ('resolved', 'answered') AND e.`id` > coalesce((SELECT max(s.`id`) FROM `case_events` s WHERE s.`case_id` = `cases`.`id` AND s.`action` = 'sent_back'), 0));--> statement-breakpoint
UPDATE `cases` SET `closed_at` = (SELECT max(e.`at`) FROM `case_events` e WHERE e.`case_id` = `cases`.`id` AND e.`action` = 'closed');
