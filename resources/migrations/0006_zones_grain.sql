-- Samples and workouts carry the zone they were recorded in (zones table; 0 = the home zone)
-- and where it came from, and a sample may be a total for a named local day (samples.day).
-- Rows from before this migration only knew a UTC offset: they get that offset as a fixed zone
-- ('+09:00') with zone_src 3 (offset only). Known per-day totals (Apple's ActivitySummary,
-- Withings' activity days) get their day, and only the newest row of each day is kept (older
-- schema versions could keep a revision beside the row it revised).
CREATE TABLE `zones` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `zones_name` ON `zones` (`name`);--> statement-breakpoint
ALTER TABLE `derived_daily` ADD `extra_json` text;--> statement-breakpoint
ALTER TABLE `samples` ADD `zone_id` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `samples` ADD `zone_src` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `samples` ADD `day` integer;--> statement-breakpoint
ALTER TABLE `workouts` ADD `zone_id` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `workouts` ADD `zone_src` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
INSERT OR IGNORE INTO `zones` (`name`)
  SELECT DISTINCT printf('%s%02d:%02d', CASE WHEN `utc_offset_min` < 0 THEN '-' ELSE '+' END, abs(`utc_offset_min`) / 60, abs(`utc_offset_min`) % 60)
  FROM (SELECT DISTINCT `utc_offset_min` FROM `samples` UNION SELECT DISTINCT `utc_offset_min` FROM `workouts`);--> statement-breakpoint
UPDATE `samples` SET `zone_src` = 3, `zone_id` = (SELECT `id` FROM `zones` WHERE `name` =
  printf('%s%02d:%02d', CASE WHEN `utc_offset_min` < 0 THEN '-' ELSE '+' END, abs(`utc_offset_min`) / 60, abs(`utc_offset_min`) % 60));--> statement-breakpoint
UPDATE `workouts` SET `zone_src` = 3, `zone_id` = (SELECT `id` FROM `zones` WHERE `name` =
  printf('%s%02d:%02d', CASE WHEN `utc_offset_min` < 0 THEN '-' ELSE '+' END, abs(`utc_offset_min`) / 60, abs(`utc_offset_min`) % 60));--> statement-breakpoint
UPDATE `samples` SET `day` = (`start_ms` + `utc_offset_min` * 60000) / 86400000
  WHERE `type_id` IN (SELECT `id` FROM `sample_types` WHERE (`source` = 'apple_health' AND `raw_type` LIKE 'ActivitySummary.%') OR (`source` = 'withings' AND `raw_type` LIKE 'activity.%'));--> statement-breakpoint
-- (a temporary index makes the newer-row look-up one probe per row instead of a scan per type)
CREATE INDEX `samples_day_dedupe` ON `samples` (`type_id`,`origin_id`,`day`) WHERE `day` IS NOT NULL;--> statement-breakpoint
DELETE FROM `samples` WHERE `day` IS NOT NULL AND EXISTS (
  SELECT 1 FROM `samples` AS `newer` WHERE `newer`.`type_id` = `samples`.`type_id` AND `newer`.`origin_id` = `samples`.`origin_id` AND `newer`.`day` = `samples`.`day` AND `newer`.`id` > `samples`.`id`);--> statement-breakpoint
DROP INDEX `samples_day_dedupe`;--> statement-breakpoint
CREATE UNIQUE INDEX `samples_day_key` ON `samples` (`type_id`,`origin_id`,`day`) WHERE `day` IS NOT NULL;--> statement-breakpoint
DELETE FROM `derived_daily`;--> statement-breakpoint
DELETE FROM `derived_source_daily`;--> statement-breakpoint
DELETE FROM `derived_state`;--> statement-breakpoint
DELETE FROM `meta` WHERE `key` IN ('derived.sample_id', 'derived.workout_id');
