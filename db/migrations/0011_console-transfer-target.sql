CREATE INDEX `cases_transfer_target_idx` ON `cases` (json_extract("pending_transfer", '$.toUnitId'));
