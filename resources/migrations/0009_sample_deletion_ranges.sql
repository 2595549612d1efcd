-- Deleting samples leaves no new id behind, and SQLite may even hand the top id out again:
-- another process (the CLI syncing while the app runs) could not see that a replaced or removed
-- row changed some days. Every deletion widens the span of instants recorded in meta
-- (samples.deleted_from / samples.deleted_to, '' when nothing is pending); core/derived rebuilds
-- that span and clears it once the rebuild succeeded.
INSERT OR IGNORE INTO `meta` (`key`, `value`) VALUES ('samples.deleted_from', ''), ('samples.deleted_to', '');--> statement-breakpoint
CREATE TRIGGER `samples_note_deletions` AFTER DELETE ON `samples`
BEGIN
	UPDATE `meta` SET `value` = CAST(CASE WHEN `value` = '' THEN OLD.`start_ms` ELSE min(CAST(`value` AS INTEGER), OLD.`start_ms`) END AS TEXT)
	WHERE `key` = 'samples.deleted_from';
	UPDATE `meta` SET `value` = CAST(CASE WHEN `value` = '' THEN OLD.`end_ms` ELSE max(CAST(`value` AS INTEGER), OLD.`end_ms`) END AS TEXT)
	WHERE `key` = 'samples.deleted_to';
END;
