CREATE TABLE `sample_count_cache` (
	`origin_id` integer PRIMARY KEY NOT NULL,
	`n` integer NOT NULL
);
