-- Two provider records (a night and a nap) may each give a total for one date: the day index
-- stops being unique. core/samples still replaces a day's row by the day rule, or by its record.
DROP INDEX `samples_day_key`;--> statement-breakpoint
CREATE INDEX `samples_day` ON `samples` (`type_id`,`origin_id`,`day`) WHERE day IS NOT NULL;