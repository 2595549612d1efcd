CREATE TABLE `source_deletions` (
	`source` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `vault_intent` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`hlc` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `vault_segments` (
	`device` text NOT NULL,
	`segment` text NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`records` integer DEFAULT 0 NOT NULL,
	`bytes` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT 0 NOT NULL,
	`deletes` integer DEFAULT 0 NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`device`, `segment`)
);
--> statement-breakpoint
CREATE INDEX `vault_segments_seq` ON `vault_segments` (`device`,`seq`);--> statement-breakpoint
CREATE TABLE `vault_tombstones` (
	`id` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`source` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
-- As derived's watermarks (migration 0009), the vault's publish watermarks (vault.sample_id,
-- vault.workout_id) are lowered when a deletion frees the top id, so a new row reusing that id
-- (a revised record: deleted, then written again) is still published. And the lowest id freed
-- while a pass publishes (vault.sample_freed / vault.workout_freed, '' when none) is noted: an id
-- below the mark the pass reaches may be handed out again meanwhile, and the pass then keeps its
-- mark below it. The triggers are made again with these statements added.
INSERT OR IGNORE INTO `meta` (`key`, `value`) VALUES ('vault.sample_freed', ''), ('vault.workout_freed', '');--> statement-breakpoint
DROP TRIGGER IF EXISTS `samples_note_deletions`;--> statement-breakpoint
CREATE TRIGGER `samples_note_deletions` AFTER DELETE ON `samples`
BEGIN
	UPDATE `meta` SET `value` = CAST(CASE WHEN `value` = '' THEN OLD.`start_ms` ELSE min(CAST(`value` AS INTEGER), OLD.`start_ms`) END AS TEXT)
	WHERE `key` = 'samples.deleted_from';
	UPDATE `meta` SET `value` = CAST(CASE WHEN `value` = '' THEN OLD.`end_ms` ELSE max(CAST(`value` AS INTEGER), OLD.`end_ms`) END AS TEXT)
	WHERE `key` = 'samples.deleted_to';
	UPDATE `meta` SET `value` = CAST(CAST(`value` AS INTEGER) + 1 AS TEXT) WHERE `key` = 'samples.deletions';
	UPDATE `meta` SET `value` = CAST((SELECT coalesce(max(`id`), 0) FROM `samples`) AS TEXT)
	WHERE `key` IN ('derived.sample_id', 'vault.sample_id') AND CAST(`value` AS INTEGER) > (SELECT coalesce(max(`id`), 0) FROM `samples`);
	UPDATE `meta` SET `value` = CAST(CASE WHEN `value` = '' THEN OLD.`id` ELSE min(CAST(`value` AS INTEGER), OLD.`id`) END AS TEXT)
	WHERE `key` = 'vault.sample_freed';
END;--> statement-breakpoint
DROP TRIGGER IF EXISTS `workouts_note_deletions`;--> statement-breakpoint
CREATE TRIGGER `workouts_note_deletions` AFTER DELETE ON `workouts`
BEGIN
	UPDATE `meta` SET `value` = CAST(CASE WHEN `value` = '' THEN OLD.`start_ms` ELSE min(CAST(`value` AS INTEGER), OLD.`start_ms`) END AS TEXT)
	WHERE `key` = 'samples.deleted_from';
	UPDATE `meta` SET `value` = CAST(CASE WHEN `value` = '' THEN OLD.`end_ms` ELSE max(CAST(`value` AS INTEGER), OLD.`end_ms`) END AS TEXT)
	WHERE `key` = 'samples.deleted_to';
	UPDATE `meta` SET `value` = CAST(CAST(`value` AS INTEGER) + 1 AS TEXT) WHERE `key` = 'samples.deletions';
	UPDATE `meta` SET `value` = CAST((SELECT coalesce(max(`id`), 0) FROM `workouts`) AS TEXT)
	WHERE `key` IN ('derived.workout_id', 'vault.workout_id') AND CAST(`value` AS INTEGER) > (SELECT coalesce(max(`id`), 0) FROM `workouts`);
	UPDATE `meta` SET `value` = CAST(CASE WHEN `value` = '' THEN OLD.`id` ELSE min(CAST(`value` AS INTEGER), OLD.`id`) END AS TEXT)
	WHERE `key` = 'vault.workout_freed';
END;
