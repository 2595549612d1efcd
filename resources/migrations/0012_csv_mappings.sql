CREATE TABLE `csv_mappings` (
	`header_key` text PRIMARY KEY NOT NULL,
	`header` text NOT NULL,
	`mapping_json` text NOT NULL,
	`updated_at` integer NOT NULL
);
