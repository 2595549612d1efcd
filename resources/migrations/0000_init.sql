CREATE TABLE `connections` (
	`id` integer PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`account_id` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`scopes` text DEFAULT '' NOT NULL,
	`last_sync_at` integer,
	`next_sync_at` integer,
	`cursors_json` text DEFAULT '{}' NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `connections_provider_account` ON `connections` (`provider`,`account_id`);--> statement-breakpoint
CREATE TABLE `devices` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`manufacturer` text DEFAULT '' NOT NULL,
	`model` text DEFAULT '' NOT NULL,
	`hardware` text DEFAULT '' NOT NULL,
	`software` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `devices_all` ON `devices` (`name`,`manufacturer`,`model`,`hardware`,`software`);--> statement-breakpoint
CREATE TABLE `import_jobs` (
	`id` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`path` text NOT NULL,
	`fingerprint` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`bytes_total` integer DEFAULT 0 NOT NULL,
	`bytes_read` integer DEFAULT 0 NOT NULL,
	`summary_json` text DEFAULT '{}' NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE `origins` (
	`id` integer PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`origin_key` text NOT NULL,
	`name` text NOT NULL,
	`device_kind` text DEFAULT 'unknown' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `origins_source_key` ON `origins` (`source`,`origin_key`);--> statement-breakpoint
CREATE TABLE `preferences` (
	`category` text PRIMARY KEY NOT NULL,
	`sources_json` text NOT NULL,
	`fill_gaps` integer NOT NULL,
	`overrides_json` text DEFAULT '{}' NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `route_points` (
	`workout_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`time_ms` integer NOT NULL,
	`lat` real NOT NULL,
	`lon` real NOT NULL,
	`elevation_m` real,
	`speed_mps` real,
	PRIMARY KEY(`workout_id`, `seq`),
	FOREIGN KEY (`workout_id`) REFERENCES `workouts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sample_details` (
	`sample_id` integer PRIMARY KEY NOT NULL,
	`json` text NOT NULL,
	FOREIGN KEY (`sample_id`) REFERENCES `samples`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sample_types` (
	`id` integer PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`raw_type` text NOT NULL,
	`metric` text,
	`unit` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sample_types_source_raw` ON `sample_types` (`source`,`raw_type`,`unit`);--> statement-breakpoint
CREATE INDEX `sample_types_metric` ON `sample_types` (`metric`);--> statement-breakpoint
CREATE TABLE `samples` (
	`id` integer PRIMARY KEY NOT NULL,
	`type_id` integer NOT NULL,
	`origin_id` integer NOT NULL,
	`device_id` integer DEFAULT 0 NOT NULL,
	`start_ms` integer NOT NULL,
	`end_ms` integer NOT NULL,
	`utc_offset_min` integer NOT NULL,
	`value` real NOT NULL,
	`category` text DEFAULT '' NOT NULL,
	`batch` text NOT NULL,
	FOREIGN KEY (`type_id`) REFERENCES `sample_types`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`origin_id`) REFERENCES `origins`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `samples_natural_key` ON `samples` (`type_id`,`origin_id`,`start_ms`,`end_ms`,`value`,`category`);--> statement-breakpoint
CREATE INDEX `samples_type_start` ON `samples` (`type_id`,`start_ms`);--> statement-breakpoint
CREATE TABLE `sync_runs` (
	`id` integer PRIMARY KEY NOT NULL,
	`connection_id` integer NOT NULL,
	`provider` text NOT NULL,
	`trigger` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`summary_json` text DEFAULT '{}' NOT NULL,
	`error` text,
	FOREIGN KEY (`connection_id`) REFERENCES `connections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sync_runs_connection` ON `sync_runs` (`connection_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `workouts` (
	`id` integer PRIMARY KEY NOT NULL,
	`origin_id` integer NOT NULL,
	`device_id` integer DEFAULT 0 NOT NULL,
	`activity_type` text NOT NULL,
	`start_ms` integer NOT NULL,
	`end_ms` integer NOT NULL,
	`utc_offset_min` integer NOT NULL,
	`duration_s` real NOT NULL,
	`distance_km` real,
	`energy_kcal` real,
	`avg_heart_rate` real,
	`max_heart_rate` real,
	`details_json` text DEFAULT '{}' NOT NULL,
	`batch` text NOT NULL,
	FOREIGN KEY (`origin_id`) REFERENCES `origins`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workouts_natural_key` ON `workouts` (`origin_id`,`activity_type`,`start_ms`,`end_ms`);--> statement-breakpoint
CREATE INDEX `workouts_start` ON `workouts` (`start_ms`);