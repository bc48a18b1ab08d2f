-- Each user's language and time zone (NULL: what the browser says).
ALTER TABLE users ADD COLUMN language TEXT CHECK (language IN ('en', 'zh-CN'));
ALTER TABLE users ADD COLUMN time_zone TEXT CHECK (length(time_zone) <= 64);
