-- Samples per origin without a pass over the whole table each time (seconds at 10 M samples,
-- on the desktop app's main thread): core/status keeps in sample_count_cache the counts of the
-- samples with id <= W (meta sample_count_max_id; -1 = nothing counted yet) and counts only
-- newer rows. Samples are never updated. On every deletion this trigger subtracts the row if it
-- was counted, and keeps W <= max(id): SQLite hands out max(id) + 1, so a new row is always
-- above W, even when the top rows were deleted.
INSERT OR IGNORE INTO `meta` (`key`, `value`) VALUES ('sample_count_max_id', '-1');--> statement-breakpoint
CREATE TRIGGER `samples_count_on_delete` AFTER DELETE ON `samples`
BEGIN
	UPDATE `sample_count_cache` SET `n` = `n` - 1
	WHERE `origin_id` = OLD.`origin_id` AND OLD.`id` <= (SELECT CAST(`value` AS INTEGER) FROM `meta` WHERE `key` = 'sample_count_max_id');
	UPDATE `meta` SET `value` = CAST((SELECT coalesce(max(`id`), 0) FROM `samples`) AS TEXT)
	WHERE `key` = 'sample_count_max_id' AND CAST(`value` AS INTEGER) > (SELECT coalesce(max(`id`), 0) FROM `samples`);
END;
