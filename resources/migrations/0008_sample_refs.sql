-- Samples remember which provider record they are part of (sample_refs, written by core/samples),
-- so an edited Withings measure group or a revised night replaces its earlier version instead of
-- sitting beside it. Withings' measures and sleep are read again from the start once: rows
-- already stored are adopted into their records (same natural key), and when that read is
-- complete, the rows no current record holds (an earlier version of an edited group, a
-- measure of another person on the same scale stored as the person's own) are dropped.
-- (drizzle-kit also wanted to recreate samples_day_key over a textual difference in its WHERE
-- clause: the index is the same, so that rebuild of a large table is left out.)
CREATE TABLE `sample_refs` (
	`sample_id` integer PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`ref` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`sample_id`) REFERENCES `samples`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sample_refs_ref` ON `sample_refs` (`source`,`ref`);--> statement-breakpoint
UPDATE `connections` SET `cursors_json` = json_remove(`cursors_json`, '$.measures', '$.sleep') WHERE `provider` = 'withings' AND json_valid(`cursors_json`);
