-- 008: the file's own name per fetch (Content-Disposition, the URL's last segment, or the local
-- file name), so documents.source_file no longer shows the archive's <sha256>.pdf.

ALTER TABLE fetches ADD COLUMN IF NOT EXISTS file_name VARCHAR;
