-- pgvector declares its type's storage EXTERNAL: never compressed, always moved to the TOAST table past ~2 KB. A
-- 1,024-dimension vector of the built-in model is 4 KB of mostly zeros, so each one cost three TOAST chunks and a TOAST
-- index entry (33 MB for 6,000 vectors on PostgreSQL). MAIN compresses it and keeps it in the row (3 MB for the same
-- vectors). Dense vectors that do not compress stay inline while the row fits a page and go to TOAST only past that, as
-- before. Rows written before this keep their storage until rewritten.
ALTER TABLE "embeddings" ALTER COLUMN "embedding" SET STORAGE MAIN;
