CREATE TABLE `detail_sets` (
	`id` integer PRIMARY KEY NOT NULL,
	`json` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `detail_sets_json` ON `detail_sets` (`json`);--> statement-breakpoint
CREATE TABLE `sample_detail_sets` (
	`sample_id` integer PRIMARY KEY NOT NULL,
	`set_id` integer NOT NULL,
	FOREIGN KEY (`sample_id`) REFERENCES `samples`(`id`) ON UPDATE no action ON DELETE cascade
);
