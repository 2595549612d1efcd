DROP INDEX `samples_natural_key`;--> statement-breakpoint
DROP INDEX `samples_type_start`;--> statement-breakpoint
CREATE UNIQUE INDEX `samples_type_start_key` ON `samples` (`type_id`,`start_ms`,`origin_id`,`end_ms`,`value`,`category`);