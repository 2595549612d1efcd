-- Apple's activity rings (ActivitySummary) count as daily totals: exercise minutes, and active
-- energy where it was stored in kcal (older versions kept other units raw; a re-import stores
-- those days again, converted). Their origin ranks as a daily summary, after worn devices.
-- Merged values are rebuilt.
UPDATE `sample_types` SET `metric` = 'active_energy'
  WHERE `source` = 'apple_health' AND `raw_type` = 'ActivitySummary.activeEnergyBurned' AND `unit` = 'kcal' AND `metric` IS NULL;--> statement-breakpoint
UPDATE `sample_types` SET `metric` = 'exercise_minutes'
  WHERE `source` = 'apple_health' AND `raw_type` = 'ActivitySummary.appleExerciseTime' AND `unit` = 'min' AND `metric` IS NULL;--> statement-breakpoint
UPDATE `origins` SET `device_kind` = 'summary' WHERE `source` = 'apple_health' AND `origin_key` = 'activity rings';--> statement-breakpoint
DELETE FROM `derived_daily`;--> statement-breakpoint
DELETE FROM `derived_source_daily`;--> statement-breakpoint
DELETE FROM `derived_state`;--> statement-breakpoint
DELETE FROM `meta` WHERE `key` IN ('derived.sample_id', 'derived.workout_id');
