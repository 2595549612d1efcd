ALTER TABLE `samples` DROP COLUMN `utc_offset_min`;--> statement-breakpoint
ALTER TABLE `workouts` DROP COLUMN `utc_offset_min`;