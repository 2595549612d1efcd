CREATE TABLE `derived_daily` (
	`metric` text NOT NULL,
	`day` integer NOT NULL,
	`value` real NOT NULL,
	`sources_json` text NOT NULL,
	`excluded` integer NOT NULL,
	`stages_json` text,
	PRIMARY KEY(`metric`, `day`)
);
--> statement-breakpoint
CREATE TABLE `derived_source_daily` (
	`metric` text NOT NULL,
	`day` integer NOT NULL,
	`origin_id` integer NOT NULL,
	`value` real NOT NULL,
	`samples` integer NOT NULL,
	`quality` integer NOT NULL,
	`reasons_json` text DEFAULT '[]' NOT NULL,
	PRIMARY KEY(`metric`, `day`, `origin_id`)
);
--> statement-breakpoint
CREATE TABLE `derived_state` (
	`metric` text PRIMARY KEY NOT NULL,
	`prefs_hash` text NOT NULL,
	`built_at` integer NOT NULL
);
