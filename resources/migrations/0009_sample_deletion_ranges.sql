-- Deleting samples or workouts leaves no new id behind, and SQLite hands the top id out again:
-- another process (the CLI syncing while the app runs) could not see what changed. So:
-- - every deletion widens the span of instants in meta (samples.deleted_from / _to, '' when
--   nothing is pending) and counts itself (samples.deletions); core/derived rebuilds the span
--   and clears it once that succeeded, if no deletion came meanwhile;
-- - a deletion that frees the top id lowers derived's watermark (derived.sample_id /
--   derived.workout_id) below the id SQLite hands out next, so a new row reusing it is seen.
INSERT OR IGNORE INTO `meta` (`key`, `value`) VALUES ('samples.deleted_from', ''), ('samples.deleted_to', ''), ('samples.deletions', '0');--> statement-breakpoint
CREATE TRIGGER `samples_note_deletions` AFTER DELETE ON `samples`
BEGIN
	UPDATE `meta` SET `value` = CAST(CASE WHEN `value` = '' THEN OLD.`start_ms` ELSE min(CAST(`value` AS INTEGER), OLD.`start_ms`) END AS TEXT)
	WHERE `key` = 'samples.deleted_from';
	UPDATE `meta` SET `value` = CAST(CASE WHEN `value` = '' THEN OLD.`end_ms` ELSE max(CAST(`value` AS INTEGER), OLD.`end_ms`) END AS TEXT)
	WHERE `key` = 'samples.deleted_to';
	UPDATE `meta` SET `value` = CAST(CAST(`value` AS INTEGER) + 1 AS TEXT) WHERE `key` = 'samples.deletions';
	UPDATE `meta` SET `value` = CAST((SELECT coalesce(max(`id`), 0) FROM `samples`) AS TEXT)
	WHERE `key` = 'derived.sample_id' AND CAST(`value` AS INTEGER) > (SELECT coalesce(max(`id`), 0) FROM `samples`);
END;--> statement-breakpoint
CREATE TRIGGER `workouts_note_deletions` AFTER DELETE ON `workouts`
BEGIN
	UPDATE `meta` SET `value` = CAST(CASE WHEN `value` = '' THEN OLD.`start_ms` ELSE min(CAST(`value` AS INTEGER), OLD.`start_ms`) END AS TEXT)
	WHERE `key` = 'samples.deleted_from';
	UPDATE `meta` SET `value` = CAST(CASE WHEN `value` = '' THEN OLD.`end_ms` ELSE max(CAST(`value` AS INTEGER), OLD.`end_ms`) END AS TEXT)
	WHERE `key` = 'samples.deleted_to';
	UPDATE `meta` SET `value` = CAST(CAST(`value` AS INTEGER) + 1 AS TEXT) WHERE `key` = 'samples.deletions';
	UPDATE `meta` SET `value` = CAST((SELECT coalesce(max(`id`), 0) FROM `workouts`) AS TEXT)
	WHERE `key` = 'derived.workout_id' AND CAST(`value` AS INTEGER) > (SELECT coalesce(max(`id`), 0) FROM `workouts`);
END;
